import {
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  condition,
  executeChild,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { BuildRecordActivities } from '../activities/build-records';
import type { DetectionResult } from '../detect/types';
import { describeBuildError } from './failures';
import { subprojectProgressSignal } from './messages';
import type { BuildProgress, SubprojectProgress } from './messages';
import { buildWorkflowId } from './names';
import { aggregatePercent, enterStep } from './progress';
import { BuildErrorType } from '../domain/build-error';

const records = proxyActivities<BuildRecordActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

/** A monorepo build's sub-project children: what was detected, how many at once and how progress is reported. */
export interface SubprojectRun {
  buildId: string;
  detection: DetectionResult;
  maxParallel: number;
  current(): BuildProgress;
  report(next: BuildProgress): Promise<void>;
  /** The workflow each sub-project runs as a child (the build workflow itself, passed in to keep imports one-way). */
  childWorkflow: (input: { buildId: string }) => Promise<unknown>;
}

/**
 * Builds the selected sub-projects of a monorepo as child builds, at most `maxParallel` at once, keeping the
 * parent's progress the mean of its children's. Fails with every failed sub-project named.
 */
export async function runSubprojectBuilds(run: SubprojectRun): Promise<void> {
  const children = await records.createSubprojectBuilds({ parentBuildId: run.buildId, detection: run.detection });
  if (children.length === 0) return;
  const childProgress = new Map<string, SubprojectProgress>(
    children.map((child) => [child.buildId, { buildId: child.buildId, status: 'Pending', percent: 0 }]),
  );
  let changed = false;
  setHandler(subprojectProgressSignal, (update) => {
    if (!childProgress.has(update.buildId)) return;
    childProgress.set(update.buildId, update);
    changed = true;
  });
  await run.report(enterStep(run.current(), 'Build'));

  let done = false;
  // Persists the aggregate as children report; its failure (a cancel) surfaces through the lanes instead.
  const reporter = (async () => {
    while (!done) {
      await condition(() => changed || done);
      changed = false;
      await run.report({ ...run.current(), percent: aggregatePercent(childProgress.values()) });
    }
  })().catch(() => undefined);

  const failures: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < children.length) {
      const child = children[next++]!;
      try {
        await executeChild(run.childWorkflow, {
          workflowId: buildWorkflowId(child.buildId),
          args: [{ buildId: child.buildId }],
        });
      } catch (error) {
        // The parent was cancelled: its children were cancelled with it, which is no sub-project's failure.
        if (!(error instanceof ChildWorkflowFailure) || CancellationScope.current().consideredCancelled) throw error;
        failures.push(`${child.name}: ${describeBuildError(error, 'Build').message}`);
      }
    }
  };
  // Every lane runs to its end (each waits for its child's cancellation) before the parent reports its outcome.
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(run.maxParallel, children.length) }, lane));
  done = true;
  await reporter;
  const stopped = lanes.find((result) => result.status === 'rejected');
  if (stopped) throw stopped.reason;
  if (failures.length > 0) {
    const summary = `${failures.length} of ${children.length} sub-project builds failed — ${failures.join('; ')}`;
    throw ApplicationFailure.nonRetryable(summary, BuildErrorType.SubprojectsFailed);
  }
}
