/**
 * The lifecycle of a build as every side shows it: the database column, the workflow's progress, the API and the UI.
 * Pure: no I/O.
 */

/** Every status a build can have, in lifecycle order. */
export const buildStatuses = ['Pending', 'Building', 'Succeeded', 'Failed', 'Cancelled'] as const;
export type BuildStatus = (typeof buildStatuses)[number];

/** The statuses of a build that has not ended: waiting for a slot, or running. */
export const activeBuildStatuses = ['Pending', 'Building'] as const satisfies readonly BuildStatus[];

/** The statuses a build never leaves. */
export const finishedBuildStatuses = ['Succeeded', 'Failed', 'Cancelled'] as const satisfies readonly BuildStatus[];
export type FinishedBuildStatus = (typeof finishedBuildStatuses)[number];

/** True once the build has ended, whatever the outcome. */
export function isFinishedBuildStatus(status: string): status is FinishedBuildStatus {
  return (finishedBuildStatuses as readonly string[]).includes(status);
}

/** The steps of a build a user sees, in order. */
export const buildSteps = ['Queued', 'Clone', 'Detect', 'Profile', 'Build', 'Push', 'Deploy', 'Done'] as const;
export type BuildStep = (typeof buildSteps)[number];
