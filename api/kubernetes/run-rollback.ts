import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client } from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/common';
import { RollbackRefused } from '../../domain/rollback';
import { BUILD_TASK_QUEUE, rollbackWorkflowId } from '../../workflows/names';
import type { rollbackWorkflow, RollbackWorkflowResult } from '../../workflows/rollback';
import { apiError } from '../errors';

/**
 * Runs the service's rollback workflow and waits for its result. A rollback already running is a 409, as is a
 * refusal (no cluster, nothing earlier to deploy); a failed redeploy is a 422 with the Kubernetes message.
 */
export async function runRollback(
  temporal: Client,
  service: { id: string; name: string },
  requestedBy: string,
): Promise<RollbackWorkflowResult> {
  const handle = await startRollback(temporal, service, requestedBy);
  try {
    return await handle.result();
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    const cause = error.cause instanceof ActivityFailure ? error.cause.cause : error.cause;
    if (cause instanceof ApplicationFailure && cause.type === RollbackRefused) throw apiError(409, cause.message);
    throw apiError(422, cause?.message ?? `The rollback of ${service.name} failed; its log is on the target build.`);
  }
}

async function startRollback(temporal: Client, service: { id: string; name: string }, requestedBy: string) {
  try {
    return await temporal.workflow.start<typeof rollbackWorkflow>('rollbackWorkflow', {
      taskQueue: BUILD_TASK_QUEUE,
      workflowId: rollbackWorkflowId(service.id),
      args: [{ serviceId: service.id, requestedBy }],
      // One rollback per service at a time; a finished one may be followed by the next ("go back one more").
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw apiError(
        409,
        `A rollback of ${service.name} is already running: wait for it to finish, then roll back again if needed.`,
      );
    }
    throw apiError(
      503,
      `The rollback of ${service.name} could not be started (${(error as Error).message}). Check that Temporal is reachable, then try again.`,
    );
  }
}
