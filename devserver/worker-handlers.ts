// Worker RPCs: long polls on workflow/activity task queues, query answers, and the *ById activity token lookup.
import type { temporal } from '@temporalio/proto';
import { dispatchActivity } from './activity-tasks';
import { requireNamespace } from './client-handlers';
import { QueryResultType } from './codes';
import { queueKey, type Ctx } from './context';
import { taskNotFound } from './errors';
import { resolveQuery } from './queries';
import type { Poller, TaskQueues } from './task-queues';
import { resolveRun } from './runs';
import { decodeToken, encodeToken } from './tokens';
import { dispatchWorkflowItem } from './workflow-tasks';

/** What a handler knows about its gRPC call. */
export interface CallInfo {
  deadlineMs: number;
  cancelled(): boolean;
  onCancel(fn: () => void): void;
}

// Answer an empty poll a little before the caller's deadline so it is never a DEADLINE_EXCEEDED error.
function pollWaitMs(call: CallInfo): number {
  return Math.max(0, Math.min(call.deadlineMs - Date.now() - 1000, 60_000));
}

function longPoll<T>(
  queues: TaskQueues<T>,
  key: string,
  call: CallInfo,
  workerInstanceKey: string,
  dispatch: (item: T) => object,
): Promise<object> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      fn();
    };
    const poller: Poller<T> = {
      workerInstanceKey,
      alive: () => !done && !call.cancelled(),
      release: () => finish(() => resolve({})),
      take: (item) =>
        finish(() => {
          try {
            resolve(dispatch(item));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        }),
    };
    const timer = setTimeout(() => finish(() => (queues.remove(key, poller), resolve({}))), pollWaitMs(call));
    call.onCancel(() => finish(() => queues.remove(key, poller)));
    queues.poll(key, poller);
  });
}

/** PollWorkflowTaskQueue, on a normal queue or a worker's sticky queue (both are named queues of the namespace). */
export function pollWorkflowTask(
  ctx: Ctx,
  req: temporal.api.workflowservice.v1.IPollWorkflowTaskQueueRequest,
  call: CallInfo,
): Promise<object> {
  const namespace = requireNamespace(ctx, req.namespace);
  const key = queueKey(namespace, req.taskQueue?.name ?? '');
  const worker = req.workerInstanceKey ?? '';
  return longPoll(ctx.workflowQueues, key, call, worker, (item) =>
    dispatchWorkflowItem(ctx, item, req.identity ?? '', key),
  );
}

/**
 * ShutdownWorker: as the real frontend does, unloads the worker's sticky queue, so the runs sticky to it get their
 * next tasks on the normal queue at once, and answers the worker's waiting polls empty (its sticky ones, and those
 * it made with the same `worker_instance_key` on `task_queue`, or on any queue when it names none), as
 * `worker_poll_complete_on_shutdown` promises: the worker then never cancels a poll a task may just have gone to.
 */
export function shutdownWorker(ctx: Ctx, req: temporal.api.workflowservice.v1.IShutdownWorkerRequest): object {
  const namespace = requireNamespace(ctx, req.namespace);
  if (req.stickyTaskQueue) ctx.workflowQueues.unload(queueKey(namespace, req.stickyTaskQueue));
  const worker = req.workerInstanceKey;
  if (worker) {
    for (const queues of [ctx.workflowQueues, ctx.activityQueues] as const) {
      const keys = req.taskQueue ? [queueKey(namespace, req.taskQueue)] : queues.keys();
      queues.releaseWorker(keys, worker);
    }
  }
  return {};
}

/** PollActivityTaskQueue. */
export function pollActivityTask(
  ctx: Ctx,
  req: temporal.api.workflowservice.v1.IPollActivityTaskQueueRequest,
  call: CallInfo,
): Promise<object> {
  const namespace = requireNamespace(ctx, req.namespace);
  const key = queueKey(namespace, req.taskQueue?.name ?? '');
  return longPoll(ctx.activityQueues, key, call, req.workerInstanceKey ?? '', (item) => {
    const run = ctx.state.runs.get(item.runId)!;
    return dispatchActivity(ctx, run, run.activities.get(item.scheduledEventId)!, req.identity ?? '');
  });
}

/** RespondQueryTaskCompleted. */
export function respondQuery(ctx: Ctx, req: temporal.api.workflowservice.v1.IRespondQueryTaskCompletedRequest): object {
  const t = decodeToken(req.taskToken);
  const run = t?.kind === 'query' ? ctx.state.runs.get(t.runId) : undefined;
  const result =
    req.completedType === QueryResultType.FAILED
      ? { error: req.errorMessage || req.failure?.message || 'query failed' }
      : { answer: req.queryResult ?? null };
  if (!run || !t?.queryId || !resolveQuery(run, t.queryId, result)) throw taskNotFound('query task');
  return {};
}

/** The fields the *ById activity RPCs name an activity by. */
export type ByIdRequest = {
  namespace?: string | null;
  workflowId?: string | null;
  runId?: string | null;
  activityId?: string | null;
};

/** The task token of the running attempt of an activity named by workflow id + activity id (the *ById RPCs). */
export function activityTokenById(ctx: Ctx, req: ByIdRequest): Uint8Array {
  const run = resolveRun(ctx, requireNamespace(ctx, req.namespace), { workflowId: req.workflowId, runId: req.runId });
  const act = [...run.activities.values()].find((a) => a.activityId === req.activityId && a.state === 'started');
  if (!act) throw taskNotFound(`activity ${req.activityId ?? ''}`);
  return encodeToken({
    kind: 'activity',
    runId: run.runId,
    id: act.scheduledEventId,
    attempt: act.attempt,
    nonce: act.nonce,
  });
}
