// Activities: ScheduleActivityTask / RequestCancelActivityTask commands and dispatch to pollers; the worker's
// replies are in activity-replies.ts.
import { randomUUID } from 'node:crypto';
import { effectiveOptions, normalizeTimeouts, retryPolicyOf } from './activity-options';
import { armActivity, enqueueAttempt } from './activity-outcomes';
import { QueueKind } from './codes';
import type { Ctx } from './context';
import { append } from './history';
import { duration, timestamp, toMs, type Command } from './proto';
import { type ActivityState, type WorkflowRun } from './state';
import { encodeToken } from './tokens';

type ScheduleAttrs = NonNullable<Command['scheduleActivityTaskCommandAttributes']>;

/** A scheduled activity's first attempt, not yet queued; `s2cMs` is its schedule-to-close timeout (0 = none). */
export function newActivityState(
  scheduledEventId: number,
  activityId: string,
  taskQueue: string,
  s2cMs: number,
  now = Date.now(),
): ActivityState {
  return {
    scheduledEventId,
    activityId,
    taskQueue,
    attempt: 1,
    state: 'scheduled',
    nonce: 0,
    scheduledTime: now,
    attemptScheduledTime: now,
    startedTime: 0,
    startedIdentity: '',
    requestId: '',
    cancelRequested: false,
    cancelRequestedEventId: 0,
    heartbeatDetails: null,
    lastHeartbeat: 0,
    lastFailure: null,
    scheduleToCloseDeadline: s2cMs > 0 ? now + s2cMs : 0,
    scheduleToStartDeadline: 0,
    startToCloseDeadline: 0,
    heartbeatDeadline: 0,
    retryAt: 0,
  };
}

/** Handles ScheduleActivityTask: writes ActivityTaskScheduled and queues the first attempt (unless dispatched eagerly). */
export function scheduleActivity(
  ctx: Ctx,
  run: WorkflowRun,
  a: ScheduleAttrs,
  completedEventId: number,
  enqueue = true,
): ActivityState {
  const t = normalizeTimeouts(run, a);
  const retry = a.retryPolicy ?? {};
  const initialMs = toMs(retry.initialInterval) || 1000;
  const event = append(run, 'ActivityTaskScheduled', {
    activityId: a.activityId ?? '',
    activityType: a.activityType ?? null,
    taskQueue: { name: a.taskQueue?.name || run.taskQueue, kind: QueueKind.NORMAL },
    header: a.header ?? null,
    input: a.input ?? null,
    scheduleToCloseTimeout: duration(t.s2c),
    scheduleToStartTimeout: duration(t.s2s),
    startToCloseTimeout: duration(t.stc),
    heartbeatTimeout: duration(t.hb),
    workflowTaskCompletedEventId: completedEventId,
    retryPolicy: {
      initialInterval: duration(initialMs),
      backoffCoefficient: retry.backoffCoefficient || 2,
      maximumInterval: duration(toMs(retry.maximumInterval) || initialMs * 100),
      maximumAttempts: retry.maximumAttempts ?? 0,
      nonRetryableErrorTypes: retry.nonRetryableErrorTypes ?? [],
    },
    priority: a.priority ?? null,
  });
  const act = newActivityState(
    Number(event.eventId),
    a.activityId || String(event.eventId),
    a.taskQueue?.name || run.taskQueue,
    t.s2c,
  );
  run.activities.set(act.scheduledEventId, act);
  if (enqueue) enqueueAttempt(ctx, run, act);
  return act;
}

/** Handles RequestCancelActivityTask; returns true when the activity was cancelled at once (needs a new task). */
export function requestCancelActivity(
  ctx: Ctx,
  run: WorkflowRun,
  scheduledEventId: number,
  completedEventId: number,
): boolean {
  const requested = append(run, 'ActivityTaskCancelRequested', {
    scheduledEventId,
    workflowTaskCompletedEventId: completedEventId,
  });
  const act = run.activities.get(scheduledEventId);
  if (!act) return false;
  act.cancelRequested = true;
  act.cancelRequestedEventId = Number(requested.eventId);
  if (act.state === 'started') return false;
  run.activities.delete(scheduledEventId);
  for (const what of ['s2c', 's2s', 'retry']) ctx.scheduler.cancel(run.runId, `act:${scheduledEventId}:${what}`);
  append(run, 'ActivityTaskCanceled', {
    scheduledEventId,
    latestCancelRequestedEventId: act.cancelRequestedEventId,
    startedEventId: 0,
  });
  return true;
}

/** Starts an attempt for a poller; returns the PollActivityTaskQueueResponse or null when the item is stale. */
export function dispatchActivity(ctx: Ctx, run: WorkflowRun, act: ActivityState, identity: string): object {
  const sched = run.history[act.scheduledEventId - 1]!.activityTaskScheduledEventAttributes!;
  const now = Date.now();
  act.state = 'started';
  act.nonce += 1;
  act.startedTime = now;
  act.startedIdentity = identity;
  act.requestId = randomUUID();
  act.lastHeartbeat = now;
  act.resetRequested = false;
  if (act.resetHeartbeats) act.heartbeatDetails = null;
  act.resetHeartbeats = false;
  const options = effectiveOptions(run, act);
  const stc = options.startToCloseMs;
  const hb = options.heartbeatMs;
  act.startToCloseDeadline = stc > 0 ? now + stc : 0;
  act.heartbeatDeadline = hb > 0 ? now + hb : 0;
  armActivity(ctx, run, act);
  ctx.changed(run);
  return {
    taskToken: encodeToken({
      kind: 'activity',
      runId: run.runId,
      id: act.scheduledEventId,
      attempt: act.attempt,
      nonce: act.nonce,
    }),
    workflowNamespace: run.namespace,
    workflowType: { name: run.workflowType },
    workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    activityType: sched.activityType,
    activityId: act.activityId,
    header: sched.header,
    input: sched.input,
    heartbeatDetails: act.heartbeatDetails,
    scheduledTime: timestamp(act.scheduledTime),
    currentAttemptScheduledTime: timestamp(act.attemptScheduledTime),
    startedTime: timestamp(now),
    attempt: act.attempt,
    scheduleToCloseTimeout: duration(options.scheduleToCloseMs),
    startToCloseTimeout: duration(stc),
    heartbeatTimeout: duration(hb),
    retryPolicy: retryPolicyOf(options),
    priority: sched.priority,
  };
}
