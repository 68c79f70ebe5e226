import { defineQuery, defineSignal } from '@temporalio/workflow';

/** The build steps a user sees, in order. */
export const buildSteps = ['Queued', 'Clone', 'Detect', 'Profile', 'Build', 'Push', 'Deploy', 'Done'] as const;
export type BuildStep = (typeof buildSteps)[number];

export type BuildStatus = 'Pending' | 'Building' | 'Succeeded' | 'Failed' | 'Cancelled';

export interface BuildProgress {
  status: BuildStatus;
  step: BuildStep;
  /** 0–100. */
  percent: number;
  error?: string;
}

/** Asks a running build to stop; the builder is stopped and the build ends as Cancelled. */
export const cancelBuildSignal = defineSignal<[reason?: string]>('cancelBuild');

/** Current status, step and progress of a build. */
export const progressQuery = defineQuery<BuildProgress>('progress');
