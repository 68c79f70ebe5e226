import { getExternalWorkflowHandle, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { BuildRecordActivities } from '../activities/build-records';
import { builderProgressSignal, progressQuery, subprojectProgressSignal } from './messages';
import type { BuildProgress } from './messages';

const records = proxyActivities<BuildRecordActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

// Builds started before this patch had their builder's percentages written by the builder itself.
const builderProgressThroughWorkflow = 'builder-progress-through-workflow';

/** A build's progress as its workflow holds it: what the query answers, the database shows and the parent sees. */
export interface BuildProgressTracker {
  current(): BuildProgress;
  /** Sets the progress and resolves once it is in the database (and told to a parent build). */
  report(next: BuildProgress): Promise<void>;
  /** The final progress, which the build's outcome record writes: later builder signals no longer move it. */
  finish(final: BuildProgress): void;
}

/**
 * The one channel of a build's progress: steps the workflow enters and the percentages its builder signals are
 * written by this workflow alone, one write at a time and always the latest, so the database, the progress query
 * and a monorepo parent never disagree for longer than a write.
 */
export function trackBuildProgress(buildId: string): BuildProgressTracker {
  let progress: BuildProgress = { status: 'Pending', step: 'Queued', percent: 0 };
  let written = progress;
  let writing: Promise<void> = Promise.resolve();
  const write = async () => {
    const next = progress;
    if (next === written) return;
    written = next;
    await records.recordProgress({ buildId, status: next.status, step: next.step, percent: next.percent });
    await notifyParent(buildId, next);
  };
  const persist = (): Promise<void> => {
    const run = writing.then(write, write);
    writing = run.catch(() => undefined);
    return run;
  };
  const recordsBuilderProgress = patched(builderProgressThroughWorkflow);
  setHandler(progressQuery, () => progress);
  let finished = false;
  setHandler(builderProgressSignal, (update) => {
    if (finished) return;
    progress = { ...progress, step: update.step, percent: Math.max(progress.percent, update.percent) };
    // A failed write (the build was cancelled meanwhile) is caught up by the next step's report or the final status.
    if (recordsBuilderProgress) persist().catch(() => undefined);
  });
  return {
    current: () => progress,
    report: (next) => {
      progress = next;
      return persist();
    },
    finish: (final) => {
      finished = true;
      progress = final;
    },
  };
}

/** A sub-project build tells its parent how far it got, so the parent shows the aggregate. */
export async function notifyParent(buildId: string, progress: BuildProgress): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  try {
    await getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(subprojectProgressSignal, {
      buildId,
      status: progress.status,
      percent: progress.percent,
    });
  } catch {
    // The parent already finished (it was cancelled); its outcome no longer depends on ours.
  }
}
