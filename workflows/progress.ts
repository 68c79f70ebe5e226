import type { BuildProgress, BuildStep } from './messages';

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

/** A parent's progress: the mean of its sub-project builds'. */
export function aggregatePercent(children: Iterable<{ percent: number }>): number {
  const values = [...children].map((child) => child.percent);
  if (values.length === 0) return 0;
  return Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
}
