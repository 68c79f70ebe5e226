// Workflow tasks: dispatch to pollers (WorkflowTaskStarted, with the update requests they carry), completion
// (commands and update answers), failure, timeout, and the legacy query tasks that share the workflow task queue.
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { temporal } from '@temporalio/proto';
import { closedIntoNewRun } from './closing';
import { recordBuildIds } from './build-ids';
import { TaskFailedCause } from './codes';
import { applyCommands, CLOSING_COMMANDS, commandProblem, startEagerActivities, type Completion } from './commands';
import type { Ctx, WorkflowQueueItem } from './context';
import { GrpcError, taskNotFound } from './errors';
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
import { timestamp, type Command, type HistoryEvent } from './proto';
import { dispatchQueries } from './queries';
import { searchAttributeProblem } from './search-attributes';
import { discardsSpeculativeTask, scheduleSpeculativeTask } from './speculative';
import { isClosed, type WorkflowRun } from './state';
import { decodeToken, encodeToken } from './tokens';
import {
  abortUpdates,
  applyUpdateAnswer,
  failDeliveredUpdates,
  hasUndeliveredUpdates,
  isRejection,
  rejectUnprocessedUpdates,
  updateAnswersProblem,
  updateRequestMessages,
  whileCompletingTask,
} from './updates';

type CompleteRequest = temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest;
type FailRequest = temporal.api.workflowservice.v1.IRespondWorkflowTaskFailedRequest;
type Message = temporal.api.protocol.v1.IMessage;

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
  return startWorkflowTask(ctx, run, identity, randomUUID());
}

/**
 * Starts the run's scheduled workflow task for a worker (WorkflowTaskStarted, or the unwritten Scheduled/Started
 * of a transient or speculative task) and returns what the worker gets: history plus the update requests.
 */
export function startWorkflowTask(ctx: Ctx, run: WorkflowRun, identity: string, requestId: string): object {
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
  return startedTaskResponse(run, events, updateRequestMessages(run, run.wft.startedEventId));
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

/** The update answers of a completion in the order they apply: those named by commands first, then the rest. */
function answersInOrder(commands: Command[], messages: Message[]): Message[] | string {
  const byId = new Map(messages.map((m) => [m.id ?? '', m]));
  const ordered: Message[] = [];
  for (const cmd of commands) {
    const messageId = cmd.protocolMessageCommandAttributes?.messageId;
    if (messageId === undefined || messageId === null) continue;
    const msg = byId.get(messageId);
    if (!msg) return `ProtocolMessageCommand referenced absent message ID ${messageId}`;
    byId.delete(messageId);
    ordered.push(msg);
  }
  return [...ordered, ...byId.values()];
}

/** Why the real server would fail this completion before writing anything (cause and message), or null. */
function completionProblem(
  run: WorkflowRun,
  commands: Command[],
  messages: Message[],
): { cause: number; message: string } | null {
  const problem = commandProblem(run, commands);
  if (problem) return problem;
  const ordered = answersInOrder(commands, messages);
  const message = typeof ordered === 'string' ? ordered : updateAnswersProblem(run, ordered);
  return message ? { cause: TaskFailedCause.BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE, message } : null;
}

/** RespondWorkflowTaskCompleted: writes WorkflowTaskCompleted and the commands' events, then flushes the buffer. */
export function completeWorkflowTask(ctx: Ctx, req: CompleteRequest): object {
  const run = startedTaskOf(ctx, req.taskToken);
  const commands = (req.commands ?? []) as Command[];
  const messages = req.messages ?? [];
  const identity = req.identity ?? '';
  const problem = completionProblem(run, commands, messages) ?? searchAttributeProblem(ctx, run.namespace, commands);
  if (problem) {
    // Checked before anything is written, so a refused task leaves no half-applied commands behind.
    failDeliveredUpdates(run);
    failTask(ctx, run, problem.cause, identity, { message: problem.message }, run.wft.attempt + 1);
    throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, problem.message);
  }
  if (run.buffered.length > 0 && commands.some((c) => CLOSING_COMMANDS.includes(c.commandType ?? 0))) {
    // New events arrived while the task ran: the workflow must see them before it may close.
    failDeliveredUpdates(run);
    failTask(ctx, run, TaskFailedCause.UNHANDLED_COMMAND, identity, null, 1);
    throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'UnhandledCommand');
  }
  if (discardsSpeculativeTask(run, req, isRejection)) return discardSpeculativeTask(ctx, run, messages);
  const completion: Completion = { completedEventId: 0, identity, answer: () => undefined, eagerActivities: [] };
  const needsTask = whileCompletingTask(run, () => applyCompletion(ctx, run, req, completion));
  if (!isClosed(run)) {
    run.wft = { ...run.wft, state: 'none', attempt: 1 };
    const flushed = flushBuffer(run);
    if (flushed > 0 || needsTask || req.forceCreateNewWorkflowTask) scheduleWorkflowTask(ctx, run, 1);
    else if (hasUndeliveredUpdates(run)) scheduleSpeculativeTask(ctx, run);
  }
  const activityTasks = startEagerActivities(ctx, run, completion.eagerActivities, identity);
  ctx.changed(run);
  dispatchQueries(ctx, run);
  return { activityTasks };
}

/** Writes WorkflowTaskCompleted, the commands' events and the update answers; returns whether a task is needed. */
function applyCompletion(ctx: Ctx, run: WorkflowRun, req: CompleteRequest, completion: Completion): boolean {
  materializeTransient(ctx, run);
  const completed = append(run, 'WorkflowTaskCompleted', {
    scheduledEventId: run.wft.scheduledEventId,
    startedEventId: run.wft.startedEventId,
    identity: completion.identity,
    binaryChecksum: req.binaryChecksum ?? '',
    sdkMetadata: req.sdkMetadata ?? null,
    meteringMetadata: req.meteringMetadata ?? null,
    workerVersion: req.workerVersionStamp ?? null,
  });
  recordBuildIds(run, req);
  run.lastCompletedStartedEventId = run.wft.startedEventId;
  if (run.firstTaskAt > 0) {
    // An update ran the workflow before its start delay ended: the delayed first task is not needed any more.
    run.firstTaskAt = 0;
    ctx.scheduler.cancel(runGroup(run), 'first-task');
  }
  const answers = new Map((req.messages ?? []).map((m) => [m.id ?? '', m]));
  completion.completedEventId = Number(completed.eventId);
  completion.answer = (messageId) => {
    const msg = answers.get(messageId);
    answers.delete(messageId);
    if (msg) applyUpdateAnswer(run, msg);
  };
  const needsTask = applyCommands(ctx, run, (req.commands ?? []) as Command[], completion);
  for (const msg of answers.values()) applyUpdateAnswer(run, msg);
  if (isClosed(run)) abortUpdates(run, closedIntoNewRun(run));
  else if (!req.forceCreateNewWorkflowTask) rejectUnprocessedUpdates(run);
  return needsTask;
}

/**
 * Drops a speculative task that only rejected updates, as if it never ran: nothing is written, and the worker is
 * told to roll back to the last task that really completed.
 */
function discardSpeculativeTask(ctx: Ctx, run: WorkflowRun, messages: Message[]): object {
  for (const msg of messages) applyUpdateAnswer(run, msg);
  rejectUnprocessedUpdates(run);
  run.wft = { ...run.wft, state: 'none', scheduledEventId: 0, startedEventId: 0, speculative: false };
  if (hasUndeliveredUpdates(run)) scheduleSpeculativeTask(ctx, run);
  // A run whose start delay ended while the speculative task ran still needs its first task.
  else if (run.lastCompletedStartedEventId === 0 && run.firstTaskAt === 0) scheduleWorkflowTask(ctx, run, 1);
  ctx.changed(run);
  dispatchQueries(ctx, run);
  return { resetHistoryEventId: run.lastCompletedStartedEventId };
}

/** RespondWorkflowTaskFailed: WorkflowTaskFailed, then the task is retried with attempt + 1. */
export function failWorkflowTask(ctx: Ctx, req: FailRequest): void {
  const run = startedTaskOf(ctx, req.taskToken);
  failTask(ctx, run, req.cause ?? 0, req.identity ?? '', req.failure ?? null, run.wft.attempt + 1);
  ctx.changed(run);
}
