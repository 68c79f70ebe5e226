import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BuildStatus, BuildStep } from '../domain/build-status';

/** What a user sees of a running build. */
export interface BuildProgress {
  status: BuildStatus;
  step: BuildStep;
  /** 0–100. */
  percent: number;
  error?: string;
}

/** Progress the builder activity reports while it runs (build steps done, pushing). */
export interface BuilderProgress {
  step: Extract<BuildStep, 'Build' | 'Push'>;
  percent: number;
}

/** A monorepo sub-project build's progress, sent by the child to its parent build. */
export interface SubprojectProgress {
  buildId: string;
  status: BuildStatus;
  percent: number;
}

/** Asks a running build to stop; the builder is stopped and the build ends as Cancelled. */
export const cancelBuildSignal = defineSignal<[reason?: string]>('cancelBuild');

/** Sent by the builder activity as the image build advances, so the query shows the same step as the database. */
export const builderProgressSignal = defineSignal<[BuilderProgress]>('builderProgress');

/** Sent by a sub-project build to its parent whenever its progress changes. */
export const subprojectProgressSignal = defineSignal<[SubprojectProgress]>('subprojectProgress');

/** Current status, step and progress of a build. */
export const progressQuery = defineQuery<BuildProgress>('progress');
