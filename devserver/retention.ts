// Retention: closed runs are forgotten once their namespace's retention has passed since they closed, so a
// long-lived devserver (Kiln's embedded engine) keeps its memory and snapshot bounded.
import type { Ctx } from './context';
import { isClosed, workflowKey } from './state';

const SWEEP_INTERVAL_MS = 60_000;
const DAY_MS = 86_400_000;

/** Removes closed runs past retention; returns how many in-memory runs were removed. */
export function sweepClosedRuns(ctx: Pick<Ctx, 'state' | 'scheduler' | 'persist'>, now = Date.now()): number {
  let removed = 0;
  for (const run of [...ctx.state.runs.values()]) {
    const retentionDays = ctx.state.namespaces.get(run.namespace)?.retentionDays ?? 1;
    if (!isClosed(run) || run.closeTime + retentionDays * DAY_MS > now) continue;
    ctx.state.runs.delete(run.runId);
    const key = workflowKey(run.namespace, run.workflowId);
    if (ctx.state.latest.get(key) === run.runId) ctx.state.latest.delete(key);
    ctx.scheduler.cancelGroup(run.runId);
    removed++;
  }
  if (removed > 0) ctx.persist();
  // Closed runs that are only on disk are deleted there, in the next commit.
  for (const ns of ctx.state.namespaces.values()) ctx.state.archive?.sweep(ns.name, now - ns.retentionDays * DAY_MS);
  return removed;
}

/** Sweeps once a minute until the returned function is called. */
export function startRetention(ctx: Ctx): () => void {
  const timer = setInterval(() => sweepClosedRuns(ctx), SWEEP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
