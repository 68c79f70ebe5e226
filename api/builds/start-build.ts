import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { builds } from '../../db/schema';
import type { buildWorkflow } from '../../workflows/build';
import { BUILD_TASK_QUEUE } from '../../workflows/names';
import { apiError } from '../errors';

export type BuildRow = typeof builds.$inferSelect;
export type NewBuild = typeof builds.$inferInsert & { workflowId: string };

/**
 * Inserts the build (or finds the one already inserted for the same workflow id) and makes sure its workflow
 * runs. Concurrent and repeated calls with one workflow id end with one row and one workflow; a crash between
 * insert and start is healed by the next call (e.g. the provider's redelivery).
 */
export async function startBuildOnce(
  db: Database,
  temporal: Client,
  values: NewBuild,
): Promise<{ build: BuildRow; duplicate: boolean }> {
  const [inserted] = await db
    .insert(builds)
    .values(values)
    .onConflictDoNothing({ target: builds.workflowId })
    .returning();
  const build = inserted ?? (await db.select().from(builds).where(eq(builds.workflowId, values.workflowId)))[0];
  if (!build) throw new Error(`Build for workflow ${values.workflowId} vanished while starting it.`);
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
