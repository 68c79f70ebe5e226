// Applying a completed workflow task's commands, in command order (core matches events to commands by order).
import { enqueueAttempt } from './activity-outcomes';
import { dispatchActivity, requestCancelActivity, scheduleActivity } from './activity-tasks';
import { cancelExternal, signalExternal, startChild } from './children';
import { RetryState } from './codes';
import { closeRun } from './closing';
import { continueAsNew } from './continue-as-new';
import type { Ctx } from './context';
import { append } from './history';
import { decodePayload, toMs, type Command, type Payload } from './proto';
import { isClosed, type ActivityState, type WorkflowRun } from './state';
import { cancelTimer, startTimer } from './timers';

const C = {
  SCHEDULE_ACTIVITY: 1,
  REQUEST_CANCEL_ACTIVITY: 2,
  START_TIMER: 3,
  COMPLETE: 4,
  FAIL: 5,
  CANCEL_TIMER: 6,
  CANCEL_WORKFLOW: 7,
  REQUEST_CANCEL_EXTERNAL: 8,
  RECORD_MARKER: 9,
  CONTINUE_AS_NEW: 10,
  START_CHILD: 11,
  SIGNAL_EXTERNAL: 12,
  UPSERT_SEARCH_ATTRIBUTES: 13,
  PROTOCOL_MESSAGE: 14,
  MODIFY_PROPERTIES: 16,
  SCHEDULE_NEXUS: 17,
  CANCEL_NEXUS: 18,
} as const;

/** Commands that close the run: refused (UnhandledCommand) while new events are waiting. */
export const CLOSING_COMMANDS: number[] = [C.COMPLETE, C.FAIL, C.CANCEL_WORKFLOW, C.CONTINUE_AS_NEW];
/** Commands whose user metadata lands on the first event they write. */
const METADATA_COMMANDS: number[] = [C.SCHEDULE_ACTIVITY, C.START_TIMER, C.START_CHILD];
/** Commands this server does not support; the workflow task fails with the matching cause. */
export const UNSUPPORTED_COMMANDS: Record<number, number> = {
  [C.SCHEDULE_NEXUS]: 32,
  [C.CANCEL_NEXUS]: 34,
};

/** What the commands of one workflow task completion share. */
export interface Completion {
  /** Event id of the WorkflowTaskCompleted the command events follow. */
  completedEventId: number;
  identity: string;
  /** Applies the update answer a PROTOCOL_MESSAGE command names, at the command's place in history. */
  answer(messageId: string): void;
  /** Activities scheduled with request_eager_execution, started for the completing worker afterwards. */
  eagerActivities: ActivityState[];
}

/** Why the real server would refuse these commands (failing the task with `cause`), or null when they are valid. */
export function commandProblem(run: WorkflowRun, commands: Command[]): { cause: number; message: string } | null {
  const timerIds = new Set(run.timers.keys());
  const activityIds = new Set([...run.activities.values()].map((a) => a.activityId));
  for (const cmd of commands) {
    const type = cmd.commandType ?? 0;
    if (UNSUPPORTED_COMMANDS[type])
      return {
        cause: UNSUPPORTED_COMMANDS[type],
        message: `The Kiln devserver does not support command type ${type}.`,
      };
    const activity = cmd.scheduleActivityTaskCommandAttributes;
    if (type === C.SCHEDULE_ACTIVITY) {
      if (
        !activity?.activityType?.name ||
        !(toMs(activity.startToCloseTimeout) || toMs(activity.scheduleToCloseTimeout))
      ) {
        return {
          cause: 2,
          message: 'ScheduleActivityTask needs an activity type and a start-to-close or schedule-to-close timeout.',
        };
      }
      if (activity.activityId && activityIds.has(activity.activityId))
        return { cause: 22, message: `Activity id ${activity.activityId} is already in use.` };
      if (activity.activityId) activityIds.add(activity.activityId);
    }
    if (type === C.START_TIMER) {
      const timerId = cmd.startTimerCommandAttributes?.timerId ?? '';
      if (!timerId || timerIds.has(timerId))
        return { cause: 12, message: `Timer id "${timerId}" is missing or already in use.` };
      timerIds.add(timerId);
    }
    const child = cmd.startChildWorkflowExecutionCommandAttributes;
    if (type === C.START_CHILD && (!child?.workflowId || !child.workflowType?.name)) {
      return { cause: 16, message: 'StartChildWorkflowExecution needs a workflow id and a workflow type.' };
    }
  }
  return null;
}

/** Merges upserted search attributes; an empty list or null value removes the key. */
function mergeFields(target: Record<string, Payload>, fields: Record<string, Payload> | null | undefined): void {
  for (const [key, payload] of Object.entries(fields ?? {})) {
    const value = decodePayload(payload);
    if (value === null || (Array.isArray(value) && value.length === 0)) delete target[key];
    else target[key] = payload;
  }
}

/** Applies one command of a completion; returns true when it wrote an event that needs another workflow task. */
type Applier = (ctx: Ctx, run: WorkflowRun, cmd: Command, completion: Completion) => boolean | void;

function scheduleActivityCommand(ctx: Ctx, run: WorkflowRun, cmd: Command, completion: Completion): void {
  const attrs = cmd.scheduleActivityTaskCommandAttributes!;
  // An eagerly executed activity skips the task queue: it goes back to this worker (startEagerActivities).
  const eager = attrs.requestEagerExecution === true;
  const act = scheduleActivity(ctx, run, attrs, completion.completedEventId, !eager);
  if (eager) completion.eagerActivities.push(act);
}

function recordMarker(_ctx: Ctx, run: WorkflowRun, cmd: Command, { completedEventId }: Completion): void {
  const a = cmd.recordMarkerCommandAttributes!;
  append(run, 'MarkerRecorded', {
    markerName: a.markerName ?? '',
    details: a.details ?? {},
    header: a.header ?? null,
    failure: a.failure ?? null,
    workflowTaskCompletedEventId: completedEventId,
  });
}

function upsertSearchAttributes(_ctx: Ctx, run: WorkflowRun, cmd: Command, { completedEventId }: Completion): void {
  const sa = cmd.upsertWorkflowSearchAttributesCommandAttributes?.searchAttributes ?? null;
  append(run, 'UpsertWorkflowSearchAttributes', {
    searchAttributes: sa,
    workflowTaskCompletedEventId: completedEventId,
  });
  mergeFields(run.searchAttributes, sa?.indexedFields);
}

function modifyProperties(_ctx: Ctx, run: WorkflowRun, cmd: Command, { completedEventId }: Completion): void {
  const memo = cmd.modifyWorkflowPropertiesCommandAttributes?.upsertedMemo ?? null;
  append(run, 'WorkflowPropertiesModified', { upsertedMemo: memo, workflowTaskCompletedEventId: completedEventId });
  mergeFields(run.memo, memo?.fields);
}

// The applier of each supported command type.
const APPLIERS: Record<number, Applier> = {
  [C.SCHEDULE_ACTIVITY]: scheduleActivityCommand,
  [C.PROTOCOL_MESSAGE]: (_ctx, _run, cmd, completion) =>
    completion.answer(cmd.protocolMessageCommandAttributes?.messageId ?? ''),
  [C.REQUEST_CANCEL_ACTIVITY]: (ctx, run, cmd, { completedEventId }) =>
    requestCancelActivity(
      ctx,
      run,
      Number(cmd.requestCancelActivityTaskCommandAttributes?.scheduledEventId ?? 0),
      completedEventId,
    ),
  [C.START_TIMER]: (ctx, run, cmd, { completedEventId }) =>
    startTimer(ctx, run, cmd.startTimerCommandAttributes!, completedEventId),
  [C.CANCEL_TIMER]: (ctx, run, cmd, { completedEventId, identity }) =>
    cancelTimer(ctx, run, cmd.cancelTimerCommandAttributes?.timerId ?? '', completedEventId, identity),
  [C.COMPLETE]: (ctx, run, cmd, { completedEventId }) =>
    closeRun(ctx, run, 'WorkflowExecutionCompleted', {
      result: cmd.completeWorkflowExecutionCommandAttributes?.result ?? null,
      workflowTaskCompletedEventId: completedEventId,
    }),
  [C.FAIL]: (ctx, run, cmd, { completedEventId }) =>
    closeRun(ctx, run, 'WorkflowExecutionFailed', {
      failure: cmd.failWorkflowExecutionCommandAttributes?.failure ?? null,
      retryState: RetryState.RETRY_POLICY_NOT_SET,
      workflowTaskCompletedEventId: completedEventId,
    }),
  [C.CANCEL_WORKFLOW]: (ctx, run, cmd, { completedEventId }) =>
    closeRun(ctx, run, 'WorkflowExecutionCanceled', {
      details: cmd.cancelWorkflowExecutionCommandAttributes?.details ?? null,
      workflowTaskCompletedEventId: completedEventId,
    }),
  [C.CONTINUE_AS_NEW]: (ctx, run, cmd, { completedEventId }) =>
    continueAsNew(ctx, run, cmd.continueAsNewWorkflowExecutionCommandAttributes!, completedEventId),
  [C.RECORD_MARKER]: recordMarker,
  [C.UPSERT_SEARCH_ATTRIBUTES]: upsertSearchAttributes,
  [C.MODIFY_PROPERTIES]: modifyProperties,
  [C.START_CHILD]: (ctx, run, cmd, { completedEventId }) =>
    startChild(ctx, run, cmd.startChildWorkflowExecutionCommandAttributes!, completedEventId, cmd.userMetadata),
  [C.SIGNAL_EXTERNAL]: (ctx, run, cmd, { completedEventId }) =>
    signalExternal(ctx, run, cmd.signalExternalWorkflowExecutionCommandAttributes!, completedEventId),
  [C.REQUEST_CANCEL_EXTERNAL]: (ctx, run, cmd, { completedEventId }) =>
    cancelExternal(ctx, run, cmd.requestCancelExternalWorkflowExecutionCommandAttributes!, completedEventId),
};

/** Applies one command; returns true when it wrote an event that needs another workflow task. */
function applyCommand(ctx: Ctx, run: WorkflowRun, cmd: Command, completion: Completion): boolean {
  const apply = APPLIERS[cmd.commandType ?? 0];
  if (apply) return apply(ctx, run, cmd, completion) === true;
  ctx.log.warn(
    { commandType: cmd.commandType, workflowId: run.workflowId },
    'devserver ignored an unsupported command',
  );
  return false;
}

/** Applies the commands in order; stops after a command that closed the run. Returns whether a new task is needed. */
export function applyCommands(ctx: Ctx, run: WorkflowRun, commands: Command[], completion: Completion): boolean {
  let needsTask = false;
  for (const cmd of commands) {
    if (isClosed(run)) break;
    const firstEvent = run.history.length;
    needsTask = applyCommand(ctx, run, cmd, completion) || needsTask;
    // The real server keeps a command's summary/details on the event it writes (TimerStarted, ActivityTaskScheduled…).
    const written = run.history[firstEvent];
    if (cmd.userMetadata && written && METADATA_COMMANDS.includes(cmd.commandType ?? 0))
      written.userMetadata = cmd.userMetadata;
  }
  return needsTask;
}

/**
 * Starts the activities scheduled for eager execution and returns their tasks for
 * RespondWorkflowTaskCompletedResponse.activity_tasks, as the real server's post-command action does; none when the
 * completion closed the run.
 */
export function startEagerActivities(ctx: Ctx, run: WorkflowRun, acts: ActivityState[], identity: string): object[] {
  const tasks: object[] = [];
  for (const act of acts) {
    if (isClosed(run) || run.activities.get(act.scheduledEventId) !== act) continue;
    if (act.state === 'scheduled') tasks.push(dispatchActivity(ctx, run, act, identity));
    else enqueueAttempt(ctx, run, act);
  }
  return tasks;
}
