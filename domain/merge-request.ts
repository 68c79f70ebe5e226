/**
 * Merge request builds: code that is not merged yet. One definition for the webhook intake, the build plan, the
 * image names, the deployer and the secret build args. Pure: no I/O.
 */

/** The fields of a build these rules read. */
export interface ChangeOrigin {
  event: string;
  mergeRequestIid?: number | null;
}

/** True for a build of a merge request (from a fork or not). */
export function isMergeRequestBuild(build: ChangeOrigin): boolean {
  return build.event === 'merge_request' || build.mergeRequestIid != null;
}

/**
 * True when the build runs code nobody with push access has merged: it gets no secret build args, is never
 * auto-deployed, never deployed by a rollback, and never tagged with a branch name. Every merge request build
 * counts (the builds table does not record whether the source was a fork), which is the safe side.
 */
export function isUntrustedChange(build: ChangeOrigin): boolean {
  return isMergeRequestBuild(build);
}

/** The image tag of a merge request build besides its sha: `mr-<iid>`. */
export function mergeRequestImageTag(iid: number): string {
  return `mr-${iid}`;
}
