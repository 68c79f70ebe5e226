// Sticky workflow task queues, kept as the real history and matching services keep them. A worker that completes a
// task names its own queue (RespondWorkflowTaskCompleted.sticky_attributes); the run's next tasks go there with only
// the events after the last completed task, so the worker continues from its cache instead of replaying. A sticky
// queue nobody polled in the last 10 s has no worker: tasks then go to the normal queue, and a normal poller that
// starts one ends the stickiness. Stickiness lives in memory only (like pending queries): after a restart every task
// goes to the normal queue with full history, which any worker accepts.
import type { temporal } from '@temporalio/proto';
import { QueueKind } from './codes';
import { queueKey, type Ctx } from './context';
import { toMs } from './proto';
import { isClosed, type WorkflowRun } from './state';

/** matching's `stickyPollerUnavailableWindow`: a sticky queue not polled this recently has no worker. */
export const STICKY_POLLER_WINDOW_MS = 10_000;

/** The sticky queue of a run and how long its tasks may wait there before they move to the normal queue. */
export interface StickyQueue {
  name: string;
  scheduleToStartMs: number;
}

const stickyQueues = new WeakMap<WorkflowRun, StickyQueue>();

/** The run's sticky queue, if its last completed task named one (closed runs have none). */
export function stickyQueueOf(run: WorkflowRun): StickyQueue | undefined {
  return isClosed(run) ? undefined : stickyQueues.get(run);
}

/** Records the sticky attributes of a completion; a completion without them ends the stickiness. */
export function recordStickyAttributes(
  run: WorkflowRun,
  attrs: temporal.api.taskqueue.v1.IStickyExecutionAttributes | null | undefined,
): void {
  const name = attrs?.workerTaskQueue?.name;
  if (!name) stickyQueues.delete(run);
  else stickyQueues.set(run, { name, scheduleToStartMs: toMs(attrs.scheduleToStartTimeout) });
}

/**
 * Ends the run's stickiness (a failed or timed-out task, ResetStickyTaskQueue, a sticky query nobody answered);
 * true if it had a sticky queue.
 */
export function clearStickyQueue(run: WorkflowRun): boolean {
  return stickyQueues.delete(run);
}

/** The queue a workflow task is scheduled on, as WorkflowTaskScheduled records it (mutable state's CurrentTaskQueue). */
export function currentTaskQueue(run: WorkflowRun): temporal.api.taskqueue.v1.ITaskQueue {
  const sticky = stickyQueueOf(run);
  if (!sticky) return { name: run.taskQueue, kind: QueueKind.NORMAL };
  return { name: sticky.name, kind: QueueKind.STICKY, normalName: run.taskQueue };
}

/** The queue key of the run's sticky queue, or null when it has none. */
export function stickyQueueKey(run: WorkflowRun): string | null {
  const sticky = stickyQueueOf(run);
  return sticky ? queueKey(run.namespace, sticky.name) : null;
}

function normalKey(run: WorkflowRun): string {
  return queueKey(run.namespace, run.taskQueue);
}

/**
 * The queue key a scheduled workflow task goes on: the sticky queue while its worker polls, otherwise the normal
 * queue ("sticky worker unavailable"), keeping the stickiness so the schedule-to-start timeout still applies.
 */
export function workflowTaskQueueKey(ctx: Ctx, run: WorkflowRun): string {
  const key = stickyQueueKey(run);
  return key && ctx.workflowQueues.polledWithin(key, STICKY_POLLER_WINDOW_MS) ? key : normalKey(run);
}

/**
 * The queue key a legacy query task goes on, and whether it is the sticky one. As for the real server's sticky
 * query, a sticky queue without a worker ends the stickiness and the query goes to the normal queue.
 */
export function queryQueueKey(ctx: Ctx, run: WorkflowRun): { key: string; sticky: StickyQueue | null } {
  const key = stickyQueueKey(run);
  if (key && ctx.workflowQueues.polledWithin(key, STICKY_POLLER_WINDOW_MS)) return { key, sticky: stickyQueueOf(run)! };
  clearStickyQueue(run);
  return { key: normalKey(run), sticky: null };
}

/**
 * Whether a workflow task found on queue `key` may still go to that queue's poller: always on the normal queue, on a
 * sticky queue only while the run is sticky to it (the real server rejects it as an obsolete matching task).
 */
export function queueServesRun(run: WorkflowRun, key: string): boolean {
  return key === normalKey(run) || key === stickyQueueKey(run);
}

/**
 * Called when a poller on `polledKey` (null: handed out without a poll) starts the run's task: a task started
 * anywhere but the sticky queue ends the stickiness. True when the worker gets only the new events.
 */
export function startsOnStickyQueue(run: WorkflowRun, polledKey: string | null): boolean {
  const key = stickyQueueKey(run);
  if (!key) return false;
  if (polledKey === key) return true;
  clearStickyQueue(run);
  return false;
}

/** True when `key` is the run's sticky queue (a query task polled there needs no history: the worker has the run). */
export function isStickyQueue(run: WorkflowRun, key: string): boolean {
  return key === stickyQueueKey(run);
}
