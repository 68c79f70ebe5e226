// RespondWorkflowTaskCompleted: the completion's checks, then WorkflowTaskCompleted, the commands' events and update
// answers, the buffered events, and the next task (on the sticky queue the worker names); or a speculative task that
// only rejected updates, discarded.
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { temporal } from '@temporalio/proto';
import { recordBuildIds } from './build-ids';
import { closedIntoNewRun, failTaskAndTerminate } from './closing';
import { TaskFailedCause } from './codes';
import { commandSizeProblem } from './command-size-limits';
import { applyCommands, CLOSING_COMMANDS, commandProblem, startEagerActivities, type Completion } from './commands';
import type { Ctx } from './context';
import { GrpcError } from './errors';
import { flushBuffer, materializeTransient, runGroup, scheduleWorkflowTask, append } from './history';
import type { Command } from './proto';
import { dispatchQueries } from './queries';
import { searchAttributeProblem } from './search-attributes';
import { discardsSpeculativeTask, scheduleSpeculativeTask } from './speculative';
import { isClosed, type WorkflowRun } from './state';
import { recordStickyAttributes, stickyQueueKey } from './sticky-queues';
import { applyUpdateAnswer, isRejection, rejectUnprocessedUpdates, updateAnswersProblem } from './update-answers';
import { abortUpdates, failDeliveredUpdates, hasUndeliveredUpdates, whileCompletingTask } from './updates';
import { failTask, startedTaskOf, startWorkflowTask } from './workflow-tasks';

type CompleteRequest = temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest;
type Message = temporal.api.protocol.v1.IMessage;

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
  const problem =
    completionProblem(run, commands, messages) ??
    searchAttributeProblem(ctx, run.namespace, commands) ??
    commandSizeProblem(ctx, run, commands, messages);
  if (problem) {
    // Checked before anything is written, so a refused task leaves no half-applied commands behind.
    failDeliveredUpdates(run);
    // A payload over the size limits terminates the run too (a later, transient attempt is only retried).
    if ('terminates' in problem && !run.wft.transient) failTaskAndTerminate(ctx, run, problem, identity);
    else failTask(ctx, run, problem.cause, identity, { message: problem.message }, run.wft.attempt + 1);
    throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, problem.message);
  }
  if (run.buffered.length > 0 && commands.some((c) => CLOSING_COMMANDS.includes(c.commandType ?? 0))) {
    // New events arrived while the task ran: the workflow must see them before it may close.
    failDeliveredUpdates(run);
    failTask(ctx, run, TaskFailedCause.UNHANDLED_COMMAND, identity, null, 1);
    throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'UnhandledCommand');
  }
  recordStickyAttributes(run, req.stickyAttributes); // before the next task is scheduled, so it goes there
  if (discardsSpeculativeTask(run, req, isRejection)) return discardSpeculativeTask(ctx, run, messages);
  const completion: Completion = { completedEventId: 0, identity, answer: () => undefined, eagerActivities: [] };
  const needsTask = whileCompletingTask(run, () => applyCompletion(ctx, run, req, completion));
  const workflowTask = isClosed(run) ? undefined : scheduleNextTask(ctx, run, req, needsTask);
  const activityTasks = startEagerActivities(ctx, run, completion.eagerActivities, identity);
  ctx.changed(run);
  dispatchQueries(ctx, run);
  return { activityTasks, ...(workflowTask ? { workflowTask } : {}) };
}

/**
 * The task after a completion: a new one when events arrived during the task, a command needs one or the worker
 * forces one, else a speculative one for updates still waiting. A worker with a sticky queue that asks for it
 * (`return_new_workflow_task`, as SDK core does) gets the new task started in the answer, with the history since
 * its last task, instead of polling for it; returned here, when it does.
 */
function scheduleNextTask(ctx: Ctx, run: WorkflowRun, req: CompleteRequest, needsTask: boolean): object | undefined {
  run.wft = { ...run.wft, state: 'none', attempt: 1 };
  const flushed = flushBuffer(run);
  if (flushed > 0 || needsTask || req.forceCreateNewWorkflowTask) {
    // The worker that just completed a task is there to take it, however long ago it polled its sticky queue.
    const stickyKey = req.returnNewWorkflowTask ? stickyQueueKey(run) : null;
    scheduleWorkflowTask(ctx, run, 1, { queue: !stickyKey });
    return stickyKey ? startWorkflowTask(ctx, run, req.identity ?? '', randomUUID(), stickyKey) : undefined;
  }
  if (hasUndeliveredUpdates(run)) scheduleSpeculativeTask(ctx, run);
  return undefined;
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
