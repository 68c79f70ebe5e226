import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, asc, inArray, isNull, lt } from 'drizzle-orm';
import type { Logger } from 'pino';
import { startBuildWorkflow } from '../api/builds/start-build';
import type { Database } from '../db/client';
import { appendBuildLogLines, lastBuildLogSeq } from '../db/build-logs';
import { updateBuildProgress } from '../db/builds';
import { builds } from '../db/schema';
import { activeBuildStatuses } from '../domain/build-status';

/** How the reconciler looks for recorded builds whose workflow the engine does not have. */
export interface BuildReconcilerOptions {
  db: Database;
  temporal: Client;
  logger: Logger;
  /** Seconds between passes. */
  intervalSeconds: number;
  /** A build younger than this is still being started by the request that recorded it. */
  graceSeconds?: number;
  /** A lost build older than this is failed instead of started again (its push is stale by then). */
  restartWithinHours?: number;
  clock?: () => Date;
}

/** What one pass did, for logs and tests. */
export interface ReconcileResult {
  restarted: string[];
  failed: string[];
}

const batchSize = 100;

/**
 * Heals builds that are recorded as Pending or Building but whose workflow does not exist: an engine that lost an
 * acknowledged start, a start that failed after the row was written, a cluster that was down. The build is started
 * again under its own workflow id (so one delivery still means one build), or failed with a message when it is too
 * old to be worth building. Top-level builds only: a parent that runs again re-creates its children.
 */
export async function reconcileLostBuilds(options: BuildReconcilerOptions): Promise<ReconcileResult> {
  const now = options.clock?.() ?? new Date();
  const graceMs = (options.graceSeconds ?? 30) * 1000;
  const restartWithinMs = (options.restartWithinHours ?? 24) * 3_600_000;
  const candidates = await options.db
    .select({ id: builds.id, workflowId: builds.workflowId, createdAt: builds.createdAt })
    .from(builds)
    .where(
      and(
        inArray(builds.status, [...activeBuildStatuses]),
        isNull(builds.parentBuildId),
        lt(builds.createdAt, new Date(now.getTime() - graceMs)),
      ),
    )
    .orderBy(asc(builds.createdAt))
    .limit(batchSize);
  const result: ReconcileResult = { restarted: [], failed: [] };
  for (const build of candidates) {
    if (await workflowExists(options.temporal, build.workflowId)) continue;
    if (now.getTime() - build.createdAt.getTime() > restartWithinMs) {
      await failLostBuild(options.db, build.id);
      result.failed.push(build.id);
    } else {
      await note(options.db, build.id, 'Kiln started this build again: its workflow was missing from Temporal.');
      await startBuildWorkflow(options.temporal, build);
      result.restarted.push(build.id);
    }
  }
  return result;
}

/** Runs `reconcileLostBuilds` every `intervalSeconds` until stopped; an unreachable engine only delays a pass. */
export function startBuildReconciler(options: BuildReconcilerOptions): { stop(): Promise<void> } {
  let current: Promise<void> = Promise.resolve();
  const pass = () => {
    current = reconcileLostBuilds(options).then(
      (result) => {
        if (result.restarted.length + result.failed.length > 0) options.logger.warn(result, 'healed lost builds');
      },
      (err) => options.logger.warn({ err }, 'could not check builds against Temporal; trying again later'),
    );
  };
  const timer = setInterval(pass, options.intervalSeconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}

async function workflowExists(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

async function failLostBuild(db: Database, buildId: string): Promise<void> {
  const message =
    'Build was lost before it ran: its workflow is missing from Temporal and the build is over a day old. ' +
    'Push again or retry the build.';
  await note(db, buildId, message);
  await updateBuildProgress(db, buildId, {
    status: 'Failed',
    step: 'Lost',
    error: message,
    errorType: 'BuildLost',
    finishedAt: new Date(),
  });
}

async function note(db: Database, buildId: string, text: string): Promise<void> {
  const seq = (await lastBuildLogSeq(db, buildId)) + 1;
  await appendBuildLogLines(db, buildId, [{ seq, stream: 'system', text, at: new Date() }]);
}
