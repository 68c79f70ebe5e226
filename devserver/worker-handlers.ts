// Worker RPCs: long polls on workflow/activity task queues and the task responses.
import type { temporal } from '@temporalio/proto';
import { cancelActivity, completeActivity, dispatchActivity, failActivity, heartbeat } from './activity-tasks';
import { requireNamespace } from './client-handlers';
import { QueueKind } from './codes';
import { queueKey, type Ctx } from './context';
import { taskNotFound } from './errors';
import { resolveQuery } from './queries';
import type { Poller, TaskQueues } from './task-queues';
import { resolveRun } from './runs';
import { decodeToken, encodeToken } from './tokens';
import { completeWorkflowTask, dispatchWorkflowItem, failWorkflowTask } from './workflow-tasks';

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
      alive: () => !done && !call.cancelled(),
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

function holdEmpty(call: CallInfo): Promise<object> {
  // Stickiness is not implemented: full histories always go to the normal queue, sticky polls stay empty.
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({}), pollWaitMs(call));
    call.onCancel(() => {
      clearTimeout(timer);
      resolve({});
    });
  });
}

/** PollWorkflowTaskQueue. */
export function pollWorkflowTask(
  ctx: Ctx,
  req: temporal.api.workflowservice.v1.IPollWorkflowTaskQueueRequest,
  call: CallInfo,
): Promise<object> {
  const namespace = requireNamespace(ctx, req.namespace);
  if (req.taskQueue?.kind === QueueKind.STICKY) return holdEmpty(call);
  const key = queueKey(namespace, req.taskQueue?.name ?? '');
  return longPoll(ctx.workflowQueues, key, call, (item) => dispatchWorkflowItem(ctx, item, req.identity ?? ''));
}

/** PollActivityTaskQueue. */
export function pollActivityTask(
  ctx: Ctx,
  req: temporal.api.workflowservice.v1.IPollActivityTaskQueueRequest,
  call: CallInfo,
): Promise<object> {
  const namespace = requireNamespace(ctx, req.namespace);
  const key = queueKey(namespace, req.taskQueue?.name ?? '');
  return longPoll(ctx.activityQueues, key, call, (item) => {
    const run = ctx.state.runs.get(item.runId)!;
    return dispatchActivity(ctx, run, run.activities.get(item.scheduledEventId)!, req.identity ?? '');
  });
}

/** RespondQueryTaskCompleted. */
export function respondQuery(ctx: Ctx, req: temporal.api.workflowservice.v1.IRespondQueryTaskCompletedRequest): object {
  const t = decodeToken(req.taskToken);
  const run = t?.kind === 'query' ? ctx.state.runs.get(t.runId) : undefined;
  const FAILED = 2;
  const result =
    req.completedType === FAILED
      ? { error: req.errorMessage || req.failure?.message || 'query failed' }
      : { answer: req.queryResult ?? null };
  if (!run || !t?.queryId || !resolveQuery(run, t.queryId, result)) throw taskNotFound('query task');
  return {};
}

type ByIdRequest = {
  namespace?: string | null;
  workflowId?: string | null;
  runId?: string | null;
  activityId?: string | null;
};

/** The task token of the running attempt of an activity named by workflow id + activity id (the *ById RPCs). */
function tokenById(ctx: Ctx, req: ByIdRequest): Uint8Array {
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

/** The worker RPCs by method name. */
export function workerHandlers(ctx: Ctx) {
  return {
    PollWorkflowTaskQueue: (req: temporal.api.workflowservice.v1.IPollWorkflowTaskQueueRequest, call: CallInfo) =>
      pollWorkflowTask(ctx, req, call),
    PollActivityTaskQueue: (req: temporal.api.workflowservice.v1.IPollActivityTaskQueueRequest, call: CallInfo) =>
      pollActivityTask(ctx, req, call),
    RespondWorkflowTaskCompleted: (req: temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest) => (
      completeWorkflowTask(ctx, req),
      {}
    ),
    RespondWorkflowTaskFailed: (req: temporal.api.workflowservice.v1.IRespondWorkflowTaskFailedRequest) => (
      failWorkflowTask(ctx, req),
      {}
    ),
    RespondActivityTaskCompleted: (req: temporal.api.workflowservice.v1.IRespondActivityTaskCompletedRequest) => (
      completeActivity(ctx, req.taskToken, req.result, req.identity ?? ''),
      {}
    ),
    RespondActivityTaskFailed: (req: temporal.api.workflowservice.v1.IRespondActivityTaskFailedRequest) => (
      failActivity(ctx, req.taskToken, req.failure, req.lastHeartbeatDetails, req.identity ?? ''),
      {}
    ),
    RespondActivityTaskCanceled: (req: temporal.api.workflowservice.v1.IRespondActivityTaskCanceledRequest) => (
      cancelActivity(ctx, req.taskToken, req.details, req.identity ?? ''),
      {}
    ),
    RecordActivityTaskHeartbeat: (req: temporal.api.workflowservice.v1.IRecordActivityTaskHeartbeatRequest) =>
      heartbeat(ctx, req.taskToken, req.details),
    RespondActivityTaskCompletedById: (
      req: temporal.api.workflowservice.v1.IRespondActivityTaskCompletedByIdRequest,
    ) => (completeActivity(ctx, tokenById(ctx, req), req.result, req.identity ?? ''), {}),
    RespondActivityTaskFailedById: (req: temporal.api.workflowservice.v1.IRespondActivityTaskFailedByIdRequest) => (
      failActivity(ctx, tokenById(ctx, req), req.failure, req.lastHeartbeatDetails, req.identity ?? ''),
      {}
    ),
    RespondActivityTaskCanceledById: (req: temporal.api.workflowservice.v1.IRespondActivityTaskCanceledByIdRequest) => (
      cancelActivity(ctx, tokenById(ctx, req), req.details, req.identity ?? ''),
      {}
    ),
    RecordActivityTaskHeartbeatById: (req: temporal.api.workflowservice.v1.IRecordActivityTaskHeartbeatByIdRequest) =>
      heartbeat(ctx, tokenById(ctx, req), req.details),
    RespondQueryTaskCompleted: (req: temporal.api.workflowservice.v1.IRespondQueryTaskCompletedRequest) =>
      respondQuery(ctx, req),
    ShutdownWorker: () => ({}),
  };
}
