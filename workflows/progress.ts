import type { BuildProgress } from './messages';
import type { BuildStep } from '../domain/build-status';

/** Where each step starts on the 0–100 progress bar; Build fills up to Push as the builder reports its steps. */
export const stepStartPercent: Record<BuildStep, number> = {
  Queued: 0,
  Clone: 5,
  Detect: 15,
  Profile: 20,
  Build: 25,
  Push: 80,
  Deploy: 90,
  Done: 100,
};

/** The progress of a build that just entered `step`. */
export function enterStep(current: BuildProgress, step: BuildStep): BuildProgress {
  return { ...current, status: 'Building', step, percent: Math.max(current.percent, stepStartPercent[step]) };
}

/**
 * A parent's progress: the mean of its sub-project builds', drawn in the parent's own Build..Done span so the bar
 * never falls back below the Build step the parent already reached when its children start at 0.
 */
export function aggregatePercent(children: Iterable<{ percent: number }>): number {
  const values = [...children].map((child) => child.percent);
  if (values.length === 0) return stepStartPercent.Build;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const span = stepStartPercent.Done - stepStartPercent.Build;
  return Math.floor(stepStartPercent.Build + (span * mean) / 100);
}
