// Workflow tasks: dispatch to pollers (WorkflowTaskStarted), completion (commands), failure, timeout, and the
// legacy query tasks that share the workflow task queue.
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { recordBuildIds } from './build-ids';
import { TaskFailedCause } from './codes';
import { applyCommands, CLOSING_COMMANDS, commandProblem } from './commands';
import type { Ctx, WorkflowQueueItem } from './context';
import { GrpcError, taskNotFound } from './errors';
import {
  append,
  flushBuffer,
  materializeTransient,
  runGroup,
  scheduleWorkflowTask,
  startedSizeInfo,
  transientEvents,
} from './history';
import type { temporal } from '@temporalio/proto';
import { timestamp, type Command, type HistoryEvent } from './proto';
import { dispatchQueries } from './queries';
import { searchAttributeProblem } from './search-attributes';
import { isClosed, type WorkflowRun } from './state';
import { decodeToken, encodeToken } from './tokens';

type CompleteRequest = temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest;
type FailRequest = temporal.api.workflowservice.v1.IRespondWorkflowTaskFailedRequest;

/** True while a queue item can still be handed out (the task was not superseded, the query still waits). */
export function workflowItemLive(ctx: Ctx, item: WorkflowQueueItem): boolean {
  const run = ctx.state.runs.get(item.runId);
  if (!run) return false;
  if (item.kind === 'workflow') return !isClosed(run) && run.wft.state === 'scheduled' && run.wft.nonce === item.nonce;
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

/** Hands a workflow or query task to a poller; returns the PollWorkflowTaskQueueResponse. */
export function dispatchWorkflowItem(ctx: Ctx, item: WorkflowQueueItem, identity: string): object {
  const run = ctx.state.runs.get(item.runId)!;
  if (item.kind === 'query') {
    const query = run.queries.find((q) => q.id === item.queryId)!;
    return {
      ...baseResponse(run),
      taskToken: encodeToken({ kind: 'query', runId: run.runId, id: 0, attempt: 1, nonce: 0, queryId: query.id }),
      startedEventId: 0,
      attempt: 1,
      query: { queryType: query.queryType, queryArgs: query.queryArgs, header: query.header },
    };
  }
  const now = Date.now();
  const requestId = randomUUID();
  run.wft = {
    ...run.wft,
    state: 'started',
    nonce: run.wft.nonce + 1,
    deadline: now + run.workflowTaskTimeoutMs,
    startedTime: now,
    startedIdentity: identity,
    startedRequestId: requestId,
  };
  let events = run.history;
  if (run.wft.transient) {
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
    startedTime: timestamp(now),
  };
}

/** Arms the started task's timeout (also after a restart). */
export function armWorkflowTaskTimeout(ctx: Ctx, run: WorkflowRun): void {
  const nonce = run.wft.nonce;
  ctx.scheduler.at(runGroup(run), 'wft-timeout', run.wft.deadline, () => {
    if (isClosed(run) || run.wft.state !== 'started' || run.wft.nonce !== nonce) return;
    if (run.wft.transient) return retryWorkflowTask(ctx, run); // later attempts time out without new events
    append(run, 'WorkflowTaskTimedOut', {
      scheduledEventId: run.wft.scheduledEventId,
      startedEventId: run.wft.startedEventId,
      timeoutType: 1,
    });
    retryWorkflowTask(ctx, run);
  });
}

function retryWorkflowTask(ctx: Ctx, run: WorkflowRun, attempt = run.wft.attempt + 1): void {
  run.wft = { ...run.wft, state: 'none' };
  flushBuffer(run);
  scheduleWorkflowTask(ctx, run, attempt);
}

function startedTaskOf(ctx: Ctx, token: Uint8Array | null | undefined): WorkflowRun {
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

function failTask(
  ctx: Ctx,
  run: WorkflowRun,
  cause: number,
  identity: string,
  failure: unknown,
  attempt: number,
): void {
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

/** RespondWorkflowTaskCompleted: writes WorkflowTaskCompleted and the commands' events, then flushes the buffer. */
export function completeWorkflowTask(ctx: Ctx, req: CompleteRequest): void {
  const run = startedTaskOf(ctx, req.taskToken);
  const commands = (req.commands ?? []) as Command[];
  const identity = req.identity ?? '';
  const problem = commandProblem(run, commands) ?? searchAttributeProblem(ctx, run.namespace, commands);
  if (problem) {
    // Checked before anything is written, so a refused task leaves no half-applied commands behind.
    failTask(ctx, run, problem.cause, identity, { message: problem.message }, run.wft.attempt + 1);
    throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, problem.message);
  }
  if (run.buffered.length > 0 && commands.some((c) => CLOSING_COMMANDS.includes(c.commandType ?? 0))) {
    // New events arrived while the task ran: the workflow must see them before it may close.
    failTask(ctx, run, TaskFailedCause.UNHANDLED_COMMAND, identity, null, 1);
    throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'UnhandledCommand');
  }
  materializeTransient(ctx, run);
  const completed = append(run, 'WorkflowTaskCompleted', {
    scheduledEventId: run.wft.scheduledEventId,
    startedEventId: run.wft.startedEventId,
    identity,
    binaryChecksum: req.binaryChecksum ?? '',
    sdkMetadata: req.sdkMetadata ?? null,
    meteringMetadata: req.meteringMetadata ?? null,
    workerVersion: req.workerVersionStamp ?? null,
  });
  recordBuildIds(run, req);
  run.lastCompletedStartedEventId = run.wft.startedEventId;
  const needsTask = applyCommands(ctx, run, commands, Number(completed.eventId), identity);
  if (!isClosed(run)) {
    run.wft = { ...run.wft, state: 'none', attempt: 1 };
    const flushed = flushBuffer(run);
    if (flushed > 0 || needsTask || req.forceCreateNewWorkflowTask) scheduleWorkflowTask(ctx, run, 1);
  }
  ctx.changed(run);
  dispatchQueries(ctx, run);
}

/** RespondWorkflowTaskFailed: WorkflowTaskFailed, then the task is retried with attempt + 1. */
export function failWorkflowTask(ctx: Ctx, req: FailRequest): void {
  const run = startedTaskOf(ctx, req.taskToken);
  failTask(ctx, run, req.cause ?? 0, req.identity ?? '', req.failure ?? null, run.wft.attempt + 1);
  ctx.changed(run);
}
