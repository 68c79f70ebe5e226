import { proxyActivities } from '@temporalio/workflow';
import type { DeployActivities, RolloutResult } from '../activities/deploy-build';
import type { RollbackActivities } from '../activities/rollback';
import { nonRetryableBuildErrors } from '../domain/build-error';
import { RollbackRefused } from '../domain/rollback';

/** What a rollback is started with: the service, and who asked (for the build log). */
export interface RollbackWorkflowInput {
  serviceId: string;
  requestedBy: string;
}

/** The build deployed again and what its rollout left running. */
export interface RollbackWorkflowResult extends RolloutResult {
  buildId: string;
}

const retry = { maximumAttempts: 3, nonRetryableErrorTypes: [...nonRetryableBuildErrors, RollbackRefused] };

const chooser = proxyActivities<RollbackActivities>({ startToCloseTimeout: '1 minute', retry });
const deployer = proxyActivities<DeployActivities>({
  // Includes waiting for the rollout, which has its own shorter limit inside.
  startToCloseTimeout: '15 minutes',
  // The redeploy heartbeats every 5 s: a worker that died mid-rollout is noticed, and a cancel reaches it.
  heartbeatTimeout: '30 seconds',
  retry,
});

/**
 * A rollback: choose the newest deployable build whose image is not the one running, then deploy it again the
 * way the Deploy step does (pull Secret, pinned digest, wait for the rollout). A cancellation of the workflow
 * stops the rollout wait; failures end the workflow with the activity's message.
 */
export async function rollbackWorkflow({
  serviceId,
  requestedBy,
}: RollbackWorkflowInput): Promise<RollbackWorkflowResult> {
  const target = await chooser.chooseRollbackTarget({ serviceId });
  const rolledOut = await deployer.redeployBuild({ buildId: target.buildId, requestedBy, replacing: target.replacing });
  return { buildId: target.buildId, ...rolledOut };
}
