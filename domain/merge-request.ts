/**
 * Merge request (GitLab) and pull request (GitHub) builds: code that is not merged yet. One definition for the
 * webhook intake, the build plan, the image names, the deployer, the rollback and the secret build args. Pure: no I/O.
 */

/** The fields of a build these rules read. */
export interface ChangeOrigin {
  event: string;
  mergeRequestIid?: number | null;
  pullRequestNumber?: number | null;
}

/** Build events of unmerged changes: never deployed, never rolled back to, no secrets, no shared layer cache. */
export const untrustedChangeEvents = ['merge_request', 'pull_request'] as const;

/** True for a build of a GitLab merge request (from a fork or not). */
export function isMergeRequestBuild(build: ChangeOrigin): boolean {
  return build.event === 'merge_request' || build.mergeRequestIid != null;
}

/** True for a build of a GitHub pull request (from a fork or not). */
export function isPullRequestBuild(build: ChangeOrigin): boolean {
  return build.event === 'pull_request' || build.pullRequestNumber != null;
}

/**
 * True when the build runs code nobody with push access has merged: it gets no secret build args, is never
 * auto-deployed, never deployed by a rollback, and never tagged with a branch name. Every merge request and pull
 * request build counts (the builds table does not record whether the source was a fork), which is the safe side.
 */
export function isUntrustedChange(build: ChangeOrigin): boolean {
  return isMergeRequestBuild(build) || isPullRequestBuild(build);
}

/** The image tag of a merge request build besides its sha: `mr-<iid>`. */
export function mergeRequestImageTag(iid: number): string {
  return `mr-${iid}`;
}

/** The image tag of a pull request build besides its sha: `pr-<number>`. */
export function pullRequestImageTag(number: number): string {
  return `pr-${number}`;
}

/** The tag naming an unmerged change instead of a branch (`mr-<iid>`, `pr-<n>`); undefined for branch builds. */
export function changeImageTag(build: Omit<ChangeOrigin, 'event'>): string | undefined {
  if (build.mergeRequestIid != null) return mergeRequestImageTag(build.mergeRequestIid);
  if (build.pullRequestNumber != null) return pullRequestImageTag(build.pullRequestNumber);
  return undefined;
}

/** "merge request !12" / "pull request #7", or undefined for branch and tag builds. */
export function describeChange(build: Omit<ChangeOrigin, 'event'>): string | undefined {
  if (build.mergeRequestIid != null) return `merge request !${build.mergeRequestIid}`;
  if (build.pullRequestNumber != null) return `pull request #${build.pullRequestNumber}`;
  return undefined;
}
