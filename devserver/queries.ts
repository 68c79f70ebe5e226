// Legacy query tasks: a query waits until the run has no workflow task in flight, then goes to its task queue (the
// sticky one while its worker polls).
import type { Ctx } from './context';
import type { WorkflowRun } from './state';
import { clearStickyQueue, queryQueueKey, type StickyQueue } from './sticky-queues';

/** Puts the run's waiting queries on its task queue when no workflow task is scheduled or started. */
export function dispatchQueries(ctx: Ctx, run: WorkflowRun): void {
  if (run.wft.state !== 'none' || run.lastCompletedStartedEventId === 0) return;
  for (const query of run.queries) {
    if (query.dispatched) continue;
    query.dispatched = true;
    const { key, sticky } = queryQueueKey(ctx, run);
    ctx.workflowQueues.add(key, { kind: 'query', runId: run.runId, queryId: query.id });
    if (sticky) fallBackUnlessAnswered(ctx, run, query.id, sticky);
  }
}

/**
 * As the real server does for a sticky query: unanswered after the sticky queue's schedule-to-start timeout, the
 * stickiness ends and the query goes to the normal queue (whichever worker answers first is the answer).
 */
function fallBackUnlessAnswered(ctx: Ctx, run: WorkflowRun, queryId: string, sticky: StickyQueue): void {
  ctx.scheduler.at(`query:${queryId}`, 'sticky-timeout', Date.now() + sticky.scheduleToStartMs, () => {
    const query = run.queries.find((q) => q.id === queryId);
    if (!query?.dispatched) return; // answered, or waiting for a workflow task (re-dispatched after it)
    clearStickyQueue(run);
    query.dispatched = false;
    dispatchQueries(ctx, run);
  });
}

/** Answers a query task result (or error) to its waiting caller. */
export function resolveQuery(
  run: WorkflowRun,
  queryId: string,
  result: Parameters<WorkflowRun['queries'][number]['resolve']>[0],
): boolean {
  const index = run.queries.findIndex((q) => q.id === queryId);
  if (index < 0) return false;
  const [query] = run.queries.splice(index, 1);
  query!.resolve(result);
  return true;
}

/** A query task that was handed out but never answered goes back to the queue (worker died or restarted). */
export function requeueQuery(ctx: Ctx, run: WorkflowRun, queryId: string): void {
  const query = run.queries.find((q) => q.id === queryId);
  if (!query) return;
  query.dispatched = false;
  dispatchQueries(ctx, run);
}
