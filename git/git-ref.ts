import { gitRefProblem, quoteForMessage, shaProblem } from '../domain/git-ref';
import { BuildErrorType, buildFailure } from '../domain/build-error';

// The rules live in domain/git-ref.ts (one definition for the API, webhooks and the clone); these turn a broken
// rule into the build failure the clone reports.

/** Throws a non-retryable InvalidGitRef failure unless `ref` is a well-formed git ref name. */
export function validateGitRef(ref: string): string {
  const problem = gitRefProblem(ref);
  if (problem != null) {
    throw buildFailure(
      BuildErrorType.InvalidGitRef,
      `Invalid git ref ${quoteForMessage(ref)}: ${problem}. Push a branch or tag with a valid name.`,
    );
  }
  return ref;
}

/** Throws a non-retryable InvalidGitRef failure unless `sha` is a full commit id (40 or 64 hex digits). */
export function validateSha(sha: string): string {
  const problem = shaProblem(sha);
  if (problem != null) {
    throw buildFailure(BuildErrorType.InvalidGitRef, `Invalid commit sha ${quoteForMessage(sha, 80)}: ${problem}.`);
  }
  return sha;
}
