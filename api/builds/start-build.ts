import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Database } from '../../db/client';
import { recordBuild, type NewBuild } from '../../db/builds';
import type { buildWorkflow } from '../../workflows/build';
import { BUILD_TASK_QUEUE } from '../../workflows/names';
import { apiError } from '../errors';
import type { BuildRow } from '../../db/schema';

/**
 * Records the build (db/builds.ts `recordBuild`: row and first log line once per workflow id) and makes sure its
 * workflow runs. Concurrent and repeated calls with one workflow id end with one row and one workflow; a crash
 * between record and start is healed by the next call or by the reconciler (server/reconcile-builds.ts).
 */
export async function createBuild(
  db: Database,
  temporal: Client,
  values: NewBuild,
  firstLine: string,
  at?: Date,
): Promise<{ build: BuildRow; duplicate: boolean }> {
  const { build, inserted } = await recordBuild(db, values, firstLine, at);
  await startBuildWorkflow(temporal, build);
  return { build, duplicate: !inserted };
}

/** Starts the build's workflow; an existing run (running or finished) with the same id counts as started. */
export async function startBuildWorkflow(temporal: Client, build: Pick<BuildRow, 'id' | 'workflowId'>): Promise<void> {
  try {
    await temporal.workflow.start<typeof buildWorkflow>('buildWorkflow', {
      taskQueue: BUILD_TASK_QUEUE,
      workflowId: build.workflowId,
      args: [{ buildId: build.id }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw apiError(
      503,
      `Build ${build.id} is recorded but its workflow could not be started (${(error as Error).message}). ` +
        'Check that Temporal is reachable, then redeliver the webhook or retry the build.',
    );
  }
}
