import { gitRefProblem, quoteForMessage, shaProblem } from '../../domain/git-ref';

/** Identifies the repository a delivery is about; either field may be missing in older payloads. */
export interface ProjectRef {
  id?: string;
  path?: string;
}

/** An unmerged change under review: a GitLab merge request or a GitHub pull request. */
export interface ChangeRequest {
  kind: 'merge_request' | 'pull_request';
  /** The merge request iid or pull request number: images are tagged `mr-<iid>` / `pr-<n>`. */
  number: number;
  /** The source project/repository is not the target one (or the payload does not say): untrusted. */
  fromFork: boolean;
  /** A GitHub draft pull request (built only when the service's Auto CI says so). */
  draft?: boolean;
}

/** A Git change Kiln may build. */
export interface BuildCandidate {
  event: 'push' | 'tag' | 'merge_request' | 'pull_request';
  ref: string;
  branch?: string;
  tag?: string;
  /** The exact commit from the payload; builds never resolve the ref again. */
  sha: string;
  commitMessage?: string;
  commitAuthor?: string;
  /** Branch matched against the Auto CI filter (the pushed branch, or an MR's target / a PR's base); tags are not filtered. */
  filterBranch?: string;
  /** Every path the pushed commits touched; absent when the payload cannot list them all (then all sub-projects build). */
  changedPaths?: string[];
  /** Set for merge requests and pull requests. */
  change?: ChangeRequest;
}

/** Why a verified delivery does not build, in words for the provider's "Recent deliveries" view. */
export type SkipReason =
  | 'branch_deleted'
  | 'tag_deleted'
  | 'merge_request_action'
  | 'pull_request_action'
  | 'draft_pull_request'
  | 'unsupported_ref'
  | 'auto_ci_disabled'
  | 'branch_not_in_filter'
  | 'skip_ci'
  | 'fork_merge_request'
  | 'fork_pull_request'
  | 'invalid_ref';

/** What a delivery asks for, decided from the event header and body alone (before any service settings). */
export type DeliveryIntent =
  | { kind: 'build'; candidate: BuildCandidate }
  /** A merge request or pull request was closed or merged: its running builds are cancelled. */
  | { kind: 'close'; change: Pick<ChangeRequest, 'kind' | 'number'>; message: string }
  | { kind: 'skip'; reason: SkipReason; message: string }
  | { kind: 'ping' }
  | { kind: 'not_processed' };

/** A parsed delivery: which repository, and what it asks for. */
export interface ParsedDelivery {
  project: ProjectRef | null;
  intent: DeliveryIntent;
}

/** The all-zero sha a provider sends for a created or deleted ref. */
export const ZERO_SHA = /^0{40}$|^0{64}$/;

/** Commit messages that opt out of CI, as GitLab and GitHub Actions understand them. */
export function wantsSkipCi(message: string | undefined): boolean {
  return message !== undefined && /\[(skip ci|ci skip)\]/i.test(message);
}

/** Splits `refs/heads/x` / `refs/tags/y`; anything else (notes, merge refs) is not built from a push. */
export function splitRef(ref: string): { branch?: string; tag?: string } {
  if (ref.startsWith('refs/heads/')) return { branch: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { tag: ref.slice('refs/tags/'.length) };
  return {};
}

/** The files a commit added, modified or removed, as GitLab and GitHub list them in push payloads. */
export interface CommitFiles {
  added?: string[];
  modified?: string[];
  removed?: string[];
}

/**
 * Paths touched by a push, or undefined when the payload does not list every commit (GitLab lists at most 20;
 * new branches and force pushes compare against an unknown base), so a partial list never skips a sub-project.
 */
export function changedPathsOf(commits: CommitFiles[], complete: boolean): string[] | undefined {
  if (!complete || commits.length === 0) return undefined;
  // A payload without file lists says nothing about what changed: unknown, not "nothing".
  if (!commits.some((commit) => commit.added || commit.modified || commit.removed)) return undefined;
  const paths = new Set<string>();
  for (const commit of commits) {
    for (const path of [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])])
      paths.add(path);
  }
  return [...paths].sort();
}

/**
 * Why a push of `ref` builds nothing before any settings are read: the branch or tag was deleted, or the ref is
 * neither. Undefined when it may build. Shared by both providers' parsers so the answers read the same.
 */
export function pushRefSkip(ref: string, deleted: boolean): Extract<DeliveryIntent, { kind: 'skip' }> | undefined {
  const { branch, tag } = splitRef(ref);
  if (deleted) {
    return tag !== undefined
      ? { kind: 'skip', reason: 'tag_deleted', message: `Tag ${tag} was deleted; nothing to build.` }
      : { kind: 'skip', reason: 'branch_deleted', message: `Branch ${branch ?? ref} was deleted; nothing to build.` };
  }
  if (branch === undefined && tag === undefined) {
    return { kind: 'skip', reason: 'unsupported_ref', message: `Ref ${ref} is not a branch or tag.` };
  }
  return undefined;
}

/**
 * Why a delivery naming these refs cannot be built: a name git would refuse (`refs/heads/<branch>` for plain
 * branch names). Checked at intake, so such a delivery never gets a "Build started" that fails later at clone.
 */
export function invalidRefSkip(refs: string[]): Extract<DeliveryIntent, { kind: 'skip' }> | undefined {
  for (const ref of refs) {
    const problem = gitRefProblem(ref);
    if (problem) return invalidRef(`Ref ${quoteForMessage(ref)} is not a valid git ref name: ${problem}`);
  }
  return undefined;
}

/** Why the commit a delivery names cannot be built: not a full sha (40 or 64 lowercase hex digits). */
export function invalidShaSkip(sha: string): Extract<DeliveryIntent, { kind: 'skip' }> | undefined {
  const problem = shaProblem(sha);
  return problem ? invalidRef(`Commit ${quoteForMessage(sha, 80)} is not a commit sha: ${problem}`) : undefined;
}

function invalidRef(what: string): Extract<DeliveryIntent, { kind: 'skip' }> {
  return { kind: 'skip', reason: 'invalid_ref', message: `${what}. Nothing was built; push a valid branch or tag.` };
}
