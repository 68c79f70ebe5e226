import { BuildErrorType, buildFailure } from './errors';

const maxRefLength = 1024;

/**
 * Why `ref` is not an acceptable git ref name (the `git check-ref-format --allow-onelevel` rules, plus no
 * leading `-` so it can never be read as an option), or null when it is fine. Pure.
 */
export function gitRefProblem(ref: string): string | null {
  if (ref.length === 0) return 'it is empty';
  if (ref.length > maxRefLength) return `it is longer than ${maxRefLength} characters`;
  if (ref.startsWith('-')) return 'it starts with "-" and could be read as an option';
  if (ref === '@') return 'it is "@"';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(ref)) return 'it contains a space, control character or one of ~ ^ : ? * [ \\';
  if (ref.includes('..')) return 'it contains ".."';
  if (ref.includes('@{')) return 'it contains "@{"';
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//')) return 'it has an empty path component';
  if (ref.endsWith('.')) return 'it ends with "."';
  for (const component of ref.split('/')) {
    if (component.startsWith('.')) return 'a path component starts with "."';
    if (component.endsWith('.lock')) return 'a path component ends with ".lock"';
  }
  return null;
}

/** Throws a non-retryable InvalidGitRef failure unless `ref` is a well-formed git ref name. */
export function validateGitRef(ref: string): string {
  const problem = gitRefProblem(ref);
  if (problem != null) {
    throw buildFailure(
      BuildErrorType.InvalidGitRef,
      `Invalid git ref ${JSON.stringify(ref.slice(0, 200))}: ${problem}. Push a branch or tag with a valid name.`,
    );
  }
  return ref;
}

/** Throws a non-retryable InvalidGitRef failure unless `sha` is a full commit id (40 or 64 hex digits). */
export function validateSha(sha: string): string {
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha)) {
    throw buildFailure(
      BuildErrorType.InvalidGitRef,
      `Invalid commit sha ${JSON.stringify(sha.slice(0, 80))}: expected 40 (or 64) lowercase hex digits.`,
    );
  }
  return sha;
}

/** The branch or tag name behind a full ref (`refs/heads/x` → `x`), or the ref itself when it is short. */
export function shortRefName(ref: string): { kind: 'branch' | 'tag' | 'other'; name: string } {
  if (ref.startsWith('refs/heads/')) return { kind: 'branch', name: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { kind: 'tag', name: ref.slice('refs/tags/'.length) };
  if (ref.startsWith('refs/')) return { kind: 'other', name: ref };
  return { kind: 'branch', name: ref };
}
