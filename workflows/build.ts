import {
  ApplicationFailure,
  CancellationScope,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { BuildPlan, BuildRecordActivities } from '../activities/build-records';
import type { CommitState, CommitStatusActivities } from '../activities/commit-status';
import type { DeployActivities } from '../activities/deploy-build';
import type { ImageBuildActivities } from '../activities/image-build';
import type { SourceActivities } from '../activities/source';
import { describeBuildError } from './failures';
import type { BuildError } from './failures';
import { notifyParent, trackBuildProgress } from './build-progress';
import type { BuildProgressTracker } from './build-progress';
import { cancelBuildSignal } from './messages';
import type { BuildProgress } from './messages';
import { BUILDER_TASK_QUEUE } from './names';
import { enterStep } from './progress';
import { runSubprojectBuilds } from './subprojects';
import type { BuildStatus } from '../domain/build-status';
import { BuildErrorType, nonRetryableBuildErrors } from '../domain/build-error';

/** What a build workflow is started with: everything else is loaded from the database by id. */
export interface BuildWorkflowInput {
  buildId: string;
}

/** How a build ended: its id, final status and, when it pushed, the image digest. */
export interface BuildWorkflowResult {
  buildId: string;
  status: BuildStatus;
  digest?: string;
}

const records = proxyActivities<BuildRecordActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});
const deployer = proxyActivities<DeployActivities>({
  // Includes waiting for the rollout, which has its own shorter limit inside.
  startToCloseTimeout: '15 minutes',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: [...nonRetryableBuildErrors] },
});
// Reporting retries transient provider errors itself and never throws: a status must not fail a build.
const statuses = proxyActivities<CommitStatusActivities>({
  startToCloseTimeout: '3 minutes',
  retry: { maximumAttempts: 1 },
});
const source = proxyActivities<SourceActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: [...nonRetryableBuildErrors] },
});

/**
 * One build: Clone → Detect → Profile → Build → Push (→ Deploy). A monorepo parent runs its selected sub-projects
 * as child builds instead. A cancel signal or a Temporal cancellation stops the builder; the outcome is always
 * written to the database, whatever happened.
 */
export async function buildWorkflow({ buildId }: BuildWorkflowInput): Promise<BuildWorkflowResult> {
  const progress = trackBuildProgress(buildId);
  let cancelReason: string | undefined;
  const work = new CancellationScope();
  setHandler(cancelBuildSignal, (reason) => {
    cancelReason ??= reason;
    work.cancel();
  });
  let digest: string | undefined;
  let failure: unknown;
  let plan: BuildPlan | undefined;
  await statuses.reportCommitStatus({ buildId, state: 'pending' });
  try {
    digest = await work.run(() => runPipeline(buildId, progress, (begun) => (plan = begun)));
  } catch (error) {
    failure = error;
  }
  const cancelled = failure !== undefined && isCancellation(failure);
  const error: BuildError | undefined =
    failure === undefined
      ? undefined
      : cancelled
        ? cancelError(cancelReason)
        : describeBuildError(failure, progress.current().step, plan);
  const status: BuildStatus = failure === undefined ? 'Succeeded' : cancelled ? 'Cancelled' : 'Failed';
  await CancellationScope.nonCancellable(() => recordOutcome(buildId, progress, status, error));
  if (cancelled) throw failure;
  if (error) throw ApplicationFailure.nonRetryable(error.message, error.type);
  return { buildId, status, digest };
}

/** Writes the final status, the commit status and the parent's view, and removes the checkout. */
async function recordOutcome(
  buildId: string,
  progress: BuildProgressTracker,
  status: BuildStatus,
  error: BuildError | undefined,
): Promise<void> {
  const current = progress.current();
  const final = {
    status,
    step: status === 'Succeeded' ? 'Done' : current.step,
    percent: status === 'Succeeded' ? 100 : current.percent,
    error: error?.message,
  } satisfies BuildProgress;
  progress.finish(final);
  await records.finishBuild({ buildId, status, error });
  await statuses.reportCommitStatus({ buildId, state: finalCommitState[status] });
  await source.removeWorkspace({ buildId });
  await notifyParent(buildId, final);
}

/** The steps themselves; returns the pushed digest (undefined for a monorepo parent). */
async function runPipeline(
  buildId: string,
  { current, report }: BuildProgressTracker,
  begun: (plan: BuildPlan) => void,
): Promise<string | undefined> {
  const plan = await records.beginBuild({ buildId });
  begun(plan);
  await statuses.reportCommitStatus({ buildId, state: 'running' });
  for (const workflowId of plan.supersedes) await cancelSupersededBuild(workflowId, plan.supersedeReason);

  await report(enterStep(current(), 'Clone'));
  const checkout = await source.cloneSource({ buildId });
  await report(enterStep(current(), 'Detect'));
  const detection = await source.detectSource({ buildId, checkoutDir: checkout.checkoutDir });

  if (plan.isMonorepoParent) {
    await runSubprojectBuilds({
      buildId,
      detection,
      maxParallel: plan.maxParallelSubprojects,
      current,
      report,
      childWorkflow: buildWorkflow,
    });
    return undefined;
  }

  await report(enterStep(current(), 'Profile'));
  const settings = await records.chooseBuildSettings({ buildId, detection });
  await report(enterStep(current(), 'Build'));
  const builder = proxyActivities<ImageBuildActivities>({
    taskQueue: BUILDER_TASK_QUEUE,
    // Waiting longer than this for a free build slot is "stuck in pending" (KILN_PENDING_TIMEOUT_SECONDS).
    scheduleToStartTimeout: `${plan.pendingTimeoutSeconds} seconds`,
    startToCloseTimeout: `${settings.resources.timeoutSeconds + 120} seconds`,
    heartbeatTimeout: '5 seconds',
    retry: {
      maximumAttempts: 3,
      nonRetryableErrorTypes: [...nonRetryableBuildErrors],
    },
  });
  const image = await builder.buildImage({ buildId, checkoutDir: checkout.checkoutDir, ...settings });
  if (plan.autoDeploy) {
    await report(enterStep(current(), 'Deploy'));
    await deployer.deployBuild({ buildId, digest: image.digest });
  }
  return image.digest;
}

async function cancelSupersededBuild(workflowId: string, reason: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(workflowId).signal(cancelBuildSignal, reason);
  } catch {
    // It finished on its own meanwhile: nothing left to supersede.
  }
}

const finalCommitState: Record<BuildStatus, CommitState> = {
  Pending: 'pending',
  Building: 'running',
  Succeeded: 'success',
  Failed: 'failed',
  Cancelled: 'canceled',
};

function cancelError(reason: string | undefined): BuildError {
  return { type: BuildErrorType.Cancelled, message: reason ?? 'Build cancelled.' };
}
