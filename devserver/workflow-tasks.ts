// Workflow tasks: dispatch to pollers (WorkflowTaskStarted, with the update requests they carry, and the whole
// history or, on the run's sticky queue, only its new events), failure, timeout, and the legacy query tasks that
// share the workflow task queue. Completion is in workflow-task-completion.ts.
import { randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { TaskFailedCause } from './codes';
import type { Ctx, WorkflowQueueItem } from './context';
import { taskNotFound } from './errors';
import {
  append,
  flushBuffer,
  materializeTransient,
  runGroup,
  scheduleWorkflowTask,
  startedSizeInfo,
  taskUnwritten,
  transientEvents,
} from './history';
import { timestamp, type HistoryEvent } from './proto';
import { isClosed, type WorkflowRun } from './state';
import { clearStickyQueue, isStickyQueue, queueServesRun, startsOnStickyQueue } from './sticky-queues';
import { decodeToken, encodeToken } from './tokens';
import { updateRequestMessages } from './updates';

type FailRequest = temporal.api.workflowservice.v1.IRespondWorkflowTaskFailedRequest;
type Message = temporal.api.protocol.v1.IMessage;

/**
 * True while an item found on queue `key` can still be handed out there (the task was not superseded and the run
 * still uses that queue, the query still waits).
 */
export function workflowItemLive(ctx: Ctx, item: WorkflowQueueItem, key: string): boolean {
  const run = ctx.state.runs.get(item.runId);
  if (!run) return false;
  if (item.kind === 'workflow') {
    const current = !isClosed(run) && run.wft.state === 'scheduled' && run.wft.nonce === item.nonce;
    return current && queueServesRun(run, key);
  }
  const query = run.queries.find((q) => q.id === item.queryId);
  if (!query) return false;
  if (run.wft.state !== 'none') {
    query.dispatched = false; // re-queued once the pending workflow task completes
    return false;
  }
  return true;
}

function baseResponse(run: WorkflowRun, events: HistoryEvent[] = run.history) {
  return {
    workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    workflowType: { name: run.workflowType },
    previousStartedEventId: run.lastCompletedStartedEventId,
    history: { events },
    workflowExecutionTaskQueue: { name: run.taskQueue, kind: 1 },
  };
}

/** Hands a workflow or query task to a poller of queue `polledKey`; returns the PollWorkflowTaskQueueResponse. */
export function dispatchWorkflowItem(ctx: Ctx, item: WorkflowQueueItem, identity: string, polledKey: string): object {
  const run = ctx.state.runs.get(item.runId)!;
  if (item.kind === 'query') {
    const query = run.queries.find((q) => q.id === item.queryId)!;
    return {
      // The sticky worker has the run in its cache: a query task for it carries no history, as on the real server.
      ...baseResponse(run, isStickyQueue(run, polledKey) ? [] : run.history),
      taskToken: encodeToken({ kind: 'query', runId: run.runId, id: 0, attempt: 1, nonce: 0, queryId: query.id }),
      startedEventId: 0,
      attempt: 1,
      query: { queryType: query.queryType, queryArgs: query.queryArgs, header: query.header },
    };
  }
  return startWorkflowTask(ctx, run, identity, randomUUID(), polledKey);
}

/**
 * Starts the run's scheduled workflow task for a worker (WorkflowTaskStarted, or the unwritten Scheduled/Started
 * of a transient or speculative task) and returns what the worker gets: history plus the update requests. The
 * history is whole, or only what follows the last completed task when the worker polled the run's sticky queue;
 * `polledKey` is null for a task handed out without a poll (eager start).
 */
export function startWorkflowTask(
  ctx: Ctx,
  run: WorkflowRun,
  identity: string,
  requestId: string,
  polledKey: string | null = null,
): object {
  const partial = startsOnStickyQueue(run, polledKey);
  const now = Date.now();
  run.wft = {
    ...run.wft,
    state: 'started',
    nonce: run.wft.nonce + 1,
    deadline: now + run.workflowTaskTimeoutMs,
    startedTime: now,
    startedIdentity: identity,
    startedRequestId: requestId,
  };
  ctx.scheduler.cancel(runGroup(run), 'wft-schedule-to-start');
  let events = run.history;
  if (taskUnwritten(run)) {
    const [scheduled, started] = transientEvents(ctx, run);
    run.wft = { ...run.wft, scheduledEventId: Number(scheduled!.eventId), startedEventId: Number(started!.eventId) };
    events = [...run.history, scheduled!, started!];
  } else {
    const started = append(run, 'WorkflowTaskStarted', {
      scheduledEventId: run.wft.scheduledEventId,
      identity,
      requestId,
      ...startedSizeInfo(ctx, run),
    });
    run.wft = { ...run.wft, startedEventId: Number(started.eventId) };
  }
  armWorkflowTaskTimeout(ctx, run);
  ctx.changed(run);
  const shipped = partial ? events.slice(run.lastCompletedStartedEventId) : events;
  return startedTaskResponse(run, shipped, updateRequestMessages(run, run.wft.startedEventId));
}

/** The PollWorkflowTaskQueueResponse of the run's started workflow task. */
export function startedTaskResponse(run: WorkflowRun, events: HistoryEvent[], messages: Message[]): object {
  return {
    ...baseResponse(run, events),
    taskToken: encodeToken({
      kind: 'workflow',
      runId: run.runId,
      id: run.wft.scheduledEventId,
      attempt: run.wft.attempt,
      nonce: run.wft.nonce,
    }),
    startedEventId: run.wft.startedEventId,
    attempt: run.wft.attempt,
    scheduledTime: timestamp(run.wft.scheduledTime),
    startedTime: timestamp(run.wft.startedTime),
    messages,
  };
}

/** Arms the started task's timeout (also after a restart). */
export function armWorkflowTaskTimeout(ctx: Ctx, run: WorkflowRun): void {
  const nonce = run.wft.nonce;
  ctx.scheduler.at(runGroup(run), 'wft-timeout', run.wft.deadline, () => {
    if (isClosed(run) || run.wft.state !== 'started' || run.wft.nonce !== nonce) return;
    if (run.wft.transient) return retryWorkflowTask(ctx, run); // later attempts time out without new events
    materializeTransient(ctx, run); // a speculative task is written before it times out
    append(run, 'WorkflowTaskTimedOut', {
      scheduledEventId: run.wft.scheduledEventId,
      startedEventId: run.wft.startedEventId,
      timeoutType: 1,
    });
    // A task that timed out on a sticky queue is first retried on the normal queue, not as a further attempt.
    retryWorkflowTask(ctx, run, clearStickyQueue(run) ? 1 : run.wft.attempt + 1);
  });
}

function retryWorkflowTask(ctx: Ctx, run: WorkflowRun, attempt = run.wft.attempt + 1): void {
  run.wft = { ...run.wft, state: 'none' };
  flushBuffer(run);
  scheduleWorkflowTask(ctx, run, attempt);
}

/** The run whose started workflow task `token` names (else NOT_FOUND); its start-to-close timeout is disarmed. */
export function startedTaskOf(ctx: Ctx, token: Uint8Array | null | undefined): WorkflowRun {
  const t = decodeToken(token);
  const run = t?.kind === 'workflow' ? ctx.state.runs.get(t.runId) : undefined;
  if (
    !run ||
    isClosed(run) ||
    run.wft.state !== 'started' ||
    run.wft.scheduledEventId !== t!.id ||
    run.wft.nonce !== t!.nonce
  ) {
    throw taskNotFound('workflow task');
  }
  ctx.scheduler.cancel(runGroup(run), 'wft-timeout');
  return run;
}

/** Fails the started task (WorkflowTaskFailed unless a transient attempt) and schedules attempt `attempt`. */
export function failTask(
  ctx: Ctx,
  run: WorkflowRun,
  cause: number,
  identity: string,
  failure: unknown,
  attempt: number,
): void {
  // A task that failed while the run was sticky is retried once from the normal queue, with full history, before
  // attempts count (the real server's failWorkflowTask).
  if (clearStickyQueue(run)) attempt = 1;
  // A failing transient attempt leaves no trace in history (the real server only counts attempts); an
  // UnhandledCommand is written, because the workflow must see the events that caused it.
  if (run.wft.transient && cause !== TaskFailedCause.UNHANDLED_COMMAND) return retryWorkflowTask(ctx, run, attempt);
  materializeTransient(ctx, run);
  append(run, 'WorkflowTaskFailed', {
    scheduledEventId: run.wft.scheduledEventId,
    startedEventId: run.wft.startedEventId,
    cause,
    identity,
    failure: (failure as object | null) ?? null,
  });
  retryWorkflowTask(ctx, run, attempt);
}

/** RespondWorkflowTaskFailed: WorkflowTaskFailed, then the task is retried with attempt + 1. */
export function failWorkflowTask(ctx: Ctx, req: FailRequest): void {
  const run = startedTaskOf(ctx, req.taskToken);
  failTask(ctx, run, req.cause ?? 0, req.identity ?? '', req.failure ?? null, run.wft.attempt + 1);
  ctx.changed(run);
}
