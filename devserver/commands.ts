// Applying a completed workflow task's commands, in command order (core matches events to commands by order).
import { enqueueAttempt } from './activity-outcomes';
import { dispatchActivity, requestCancelActivity, scheduleActivity } from './activity-tasks';
import { cancelExternal, signalExternal, startChild } from './children';
import { RetryState } from './codes';
import { closeRun } from './closing';
import { continueAsNew } from './continue-as-new';
import type { Ctx } from './context';
import { addEvent, append, runGroup } from './history';
import { decodePayload, toMs, type Command, type Payload } from './proto';
import { isClosed, type ActivityState, type WorkflowRun } from './state';

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

/** Starts a user timer (TimerStarted) and arms its firing. */
function startTimer(
  ctx: Ctx,
  run: WorkflowRun,
  a: NonNullable<Command['startTimerCommandAttributes']>,
  completedEventId: number,
): void {
  const timerId = a.timerId ?? '';
  const event = append(run, 'TimerStarted', {
    timerId,
    startToFireTimeout: a.startToFireTimeout ?? null,
    workflowTaskCompletedEventId: completedEventId,
  });
  const timer = { timerId, startedEventId: Number(event.eventId), fireAt: Date.now() + toMs(a.startToFireTimeout) };
  run.timers.set(timerId, timer);
  armTimer(ctx, run, timer);
}

/** Arms a user timer's TimerFired (also used after a restart). */
export function armTimer(
  ctx: Ctx,
  run: WorkflowRun,
  timer: { timerId: string; startedEventId: number; fireAt: number },
): void {
  ctx.scheduler.at(runGroup(run), `timer:${timer.timerId}`, timer.fireAt, () => {
    if (run.timers.get(timer.timerId) !== timer) return;
    run.timers.delete(timer.timerId);
    addEvent(
      ctx,
      run,
      'TimerFired',
      { timerId: timer.timerId, startedEventId: timer.startedEventId },
      { timerId: timer.timerId },
    );
  });
}

function cancelTimer(ctx: Ctx, run: WorkflowRun, timerId: string, completedEventId: number, identity: string): void {
  const timer = run.timers.get(timerId);
  const buffered = run.buffered.find((b) => b.timerId === timerId);
  const startedEventId = timer?.startedEventId ?? Number(buffered?.attrs.startedEventId ?? 0);
  run.timers.delete(timerId);
  ctx.scheduler.cancel(runGroup(run), `timer:${timerId}`);
  // A timer that fired while this task ran is cancelled as if it never fired: drop the buffered TimerFired.
  run.buffered = run.buffered.filter((b) => b.timerId !== timerId);
  append(run, 'TimerCanceled', { timerId, startedEventId, workflowTaskCompletedEventId: completedEventId, identity });
}

/** Merges upserted search attributes; an empty list or null value removes the key. */
function mergeFields(target: Record<string, Payload>, fields: Record<string, Payload> | null | undefined): void {
  for (const [key, payload] of Object.entries(fields ?? {})) {
    const value = decodePayload(payload);
    if (value === null || (Array.isArray(value) && value.length === 0)) delete target[key];
    else target[key] = payload;
  }
}

/** Applies one command; returns true when it wrote an event that needs another workflow task. */
function applyCommand(ctx: Ctx, run: WorkflowRun, cmd: Command, completion: Completion): boolean {
  const { completedEventId, identity } = completion;
  switch (cmd.commandType) {
    case C.SCHEDULE_ACTIVITY: {
      const attrs = cmd.scheduleActivityTaskCommandAttributes!;
      // An eagerly executed activity skips the task queue: it goes back to this worker (startEagerActivities).
      const eager = attrs.requestEagerExecution === true;
      const act = scheduleActivity(ctx, run, attrs, completedEventId, !eager);
      if (eager) completion.eagerActivities.push(act);
      return false;
    }
    case C.PROTOCOL_MESSAGE:
      completion.answer(cmd.protocolMessageCommandAttributes?.messageId ?? '');
      return false;
    case C.REQUEST_CANCEL_ACTIVITY:
      return requestCancelActivity(
        ctx,
        run,
        Number(cmd.requestCancelActivityTaskCommandAttributes?.scheduledEventId ?? 0),
        completedEventId,
      );
    case C.START_TIMER:
      startTimer(ctx, run, cmd.startTimerCommandAttributes!, completedEventId);
      return false;
    case C.CANCEL_TIMER:
      cancelTimer(ctx, run, cmd.cancelTimerCommandAttributes?.timerId ?? '', completedEventId, identity);
      return false;
    case C.COMPLETE:
      closeRun(ctx, run, 'WorkflowExecutionCompleted', {
        result: cmd.completeWorkflowExecutionCommandAttributes?.result ?? null,
        workflowTaskCompletedEventId: completedEventId,
      });
      return false;
    case C.FAIL:
      closeRun(ctx, run, 'WorkflowExecutionFailed', {
        failure: cmd.failWorkflowExecutionCommandAttributes?.failure ?? null,
        retryState: RetryState.RETRY_POLICY_NOT_SET,
        workflowTaskCompletedEventId: completedEventId,
      });
      return false;
    case C.CANCEL_WORKFLOW:
      closeRun(ctx, run, 'WorkflowExecutionCanceled', {
        details: cmd.cancelWorkflowExecutionCommandAttributes?.details ?? null,
        workflowTaskCompletedEventId: completedEventId,
      });
      return false;
    case C.CONTINUE_AS_NEW:
      continueAsNew(ctx, run, cmd.continueAsNewWorkflowExecutionCommandAttributes!, completedEventId);
      return false;
    case C.RECORD_MARKER: {
      const a = cmd.recordMarkerCommandAttributes!;
      append(run, 'MarkerRecorded', {
        markerName: a.markerName ?? '',
        details: a.details ?? {},
        header: a.header ?? null,
        failure: a.failure ?? null,
        workflowTaskCompletedEventId: completedEventId,
      });
      return false;
    }
    case C.UPSERT_SEARCH_ATTRIBUTES: {
      const sa = cmd.upsertWorkflowSearchAttributesCommandAttributes?.searchAttributes ?? null;
      append(run, 'UpsertWorkflowSearchAttributes', {
        searchAttributes: sa,
        workflowTaskCompletedEventId: completedEventId,
      });
      mergeFields(run.searchAttributes, sa?.indexedFields);
      return false;
    }
    case C.MODIFY_PROPERTIES: {
      const memo = cmd.modifyWorkflowPropertiesCommandAttributes?.upsertedMemo ?? null;
      append(run, 'WorkflowPropertiesModified', { upsertedMemo: memo, workflowTaskCompletedEventId: completedEventId });
      mergeFields(run.memo, memo?.fields);
      return false;
    }
    case C.START_CHILD:
      startChild(ctx, run, cmd.startChildWorkflowExecutionCommandAttributes!, completedEventId, cmd.userMetadata);
      return false;
    case C.SIGNAL_EXTERNAL:
      signalExternal(ctx, run, cmd.signalExternalWorkflowExecutionCommandAttributes!, completedEventId);
      return false;
    case C.REQUEST_CANCEL_EXTERNAL:
      cancelExternal(ctx, run, cmd.requestCancelExternalWorkflowExecutionCommandAttributes!, completedEventId);
      return false;
    default:
      ctx.log.warn(
        { commandType: cmd.commandType, workflowId: run.workflowId },
        'devserver ignored an unsupported command',
      );
      return false;
  }
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
