// Activity attempts ending: retry with backoff (no history) or the final Started + outcome events, and the
// schedule-to-start / start-to-close / schedule-to-close / heartbeat deadlines that end attempts.
import { effectiveOptions, retryPolicyOf } from './activity-options';
import { RetryState, TimeoutType } from './codes';
import { queueKey, type Ctx } from './context';
import { addEvents, runGroup } from './history';
import { toMs, type EventName, type Failure, type Loose, type RetryPolicy } from './proto';
import type { ActivityState, BufferedEvent, WorkflowRun } from './state';

const TIMEOUT_NAMES: Record<number, string> = {
  [TimeoutType.START_TO_CLOSE]: 'StartToClose',
  [TimeoutType.SCHEDULE_TO_START]: 'ScheduleToStart',
  [TimeoutType.SCHEDULE_TO_CLOSE]: 'ScheduleToClose',
  [TimeoutType.HEARTBEAT]: 'Heartbeat',
};

/** The link key under which an activity's ActivityTaskStarted event id is recorded. */
export function activityLink(scheduledEventId: number): string {
  return `act:${scheduledEventId}`;
}

/** The activity's retry policy: ActivityTaskScheduled's, or the one UpdateActivityOptions set. */
export function activityRetryPolicy(run: WorkflowRun, act: ActivityState): Loose<RetryPolicy> {
  return retryPolicyOf(effectiveOptions(run, act));
}

function timerKey(act: ActivityState, what: string): string {
  return `act:${act.scheduledEventId}:${what}`;
}

/** Decides whether a failed attempt is retried: the delay in ms, or the retry state that ends it. */
export function retryDecision(
  act: Pick<ActivityState, 'attempt' | 'scheduleToCloseDeadline'>,
  policy: Loose<RetryPolicy>,
  failure: Failure | null,
  now = Date.now(),
): { delayMs: number } | { state: number } {
  const app = failure?.applicationFailureInfo;
  if (app?.nonRetryable || failure?.serverFailureInfo?.nonRetryable) return { state: RetryState.NON_RETRYABLE_FAILURE };
  const type =
    app?.type ??
    (failure?.timeoutFailureInfo
      ? `TemporalTimeout:${TIMEOUT_NAMES[failure.timeoutFailureInfo.timeoutType ?? 0]}`
      : '');
  if (type && (policy.nonRetryableErrorTypes ?? []).includes(type)) return { state: RetryState.NON_RETRYABLE_FAILURE };
  const maxAttempts = policy.maximumAttempts ?? 0;
  if (maxAttempts > 0 && act.attempt >= maxAttempts) return { state: RetryState.MAXIMUM_ATTEMPTS_REACHED };
  const initial = toMs(policy.initialInterval) || 1000;
  const maxInterval = toMs(policy.maximumInterval) || initial * 100;
  let delayMs = Math.min(initial * Math.pow(policy.backoffCoefficient || 2, act.attempt - 1), maxInterval);
  const explicit = toMs(app?.nextRetryDelay);
  if (explicit > 0) delayMs = explicit;
  if (act.scheduleToCloseDeadline > 0 && now + delayMs >= act.scheduleToCloseDeadline)
    return { state: RetryState.TIMEOUT };
  return { delayMs };
}

/** Writes the final events of an activity (Started when it ran, then the outcome) and forgets it. */
export function finishActivity(
  ctx: Ctx,
  run: WorkflowRun,
  act: ActivityState,
  name: EventName,
  attrs: Record<string, unknown>,
): void {
  run.activities.delete(act.scheduledEventId);
  for (const what of ['s2c', 's2s', 'stc', 'hb', 'retry']) ctx.scheduler.cancel(runGroup(run), timerKey(act, what));
  const items: BufferedEvent[] = [];
  const link = activityLink(act.scheduledEventId);
  if (act.state === 'started') {
    items.push({
      name: 'ActivityTaskStarted',
      attrs: {
        scheduledEventId: act.scheduledEventId,
        identity: act.startedIdentity,
        requestId: act.requestId,
        attempt: act.attempt,
        lastFailure: act.lastFailure,
      },
      recordAs: link,
    });
  }
  const outcome: BufferedEvent = { name, attrs: { ...attrs, scheduledEventId: act.scheduledEventId } };
  if (act.state === 'started') outcome.startedFrom = link;
  items.push(outcome);
  addEvents(ctx, run, items);
}

/** Ends the current attempt with `failure`: schedules the retry, or writes the final Failed/TimedOut event. */
export function failAttempt(
  ctx: Ctx,
  run: WorkflowRun,
  act: ActivityState,
  failure: Failure,
  identity: string,
  timeoutType?: number,
): void {
  const scheduleTimeout =
    timeoutType === TimeoutType.SCHEDULE_TO_CLOSE || timeoutType === TimeoutType.SCHEDULE_TO_START;
  const decision = scheduleTimeout
    ? { state: timeoutType === TimeoutType.SCHEDULE_TO_CLOSE ? RetryState.TIMEOUT : RetryState.NON_RETRYABLE_FAILURE }
    : retryDecision(act, activityRetryPolicy(run, act), failure);
  // A paused activity's retryable failure always waits for its unpause, whatever attempts are left (real server).
  if (act.paused && !scheduleTimeout && !('state' in decision && decision.state === RetryState.NON_RETRYABLE_FAILURE))
    return scheduleRetry(ctx, run, act, failure, 0);
  if ('delayMs' in decision) return scheduleRetry(ctx, run, act, failure, decision.delayMs);
  if (timeoutType) {
    finishActivity(ctx, run, act, 'ActivityTaskTimedOut', { failure, retryState: decision.state });
  } else {
    finishActivity(ctx, run, act, 'ActivityTaskFailed', { failure, identity, retryState: decision.state });
  }
}

function scheduleRetry(ctx: Ctx, run: WorkflowRun, act: ActivityState, failure: Failure, delayMs: number): void {
  for (const what of ['s2s', 'stc', 'hb']) ctx.scheduler.cancel(runGroup(run), timerKey(act, what));
  act.state = 'backoff';
  act.lastFailure = failure;
  act.attempt += 1;
  act.nonce += 1;
  act.cancelRequested = false;
  act.retryAt = Date.now() + delayMs;
  if (act.resetHeartbeats) act.heartbeatDetails = null;
  act.resetHeartbeats = false;
  act.resetRequested = false;
  armActivity(ctx, run, act);
  ctx.changed(run);
}

/** Puts an attempt on its task queue and arms its schedule-to-start deadline. */
export function enqueueAttempt(ctx: Ctx, run: WorkflowRun, act: ActivityState): void {
  act.state = 'scheduled';
  act.attemptScheduledTime = Date.now();
  const s2s = effectiveOptions(run, act).scheduleToStartMs;
  act.scheduleToStartDeadline = s2s > 0 ? act.attemptScheduledTime + s2s : 0;
  armActivity(ctx, run, act);
  ctx.activityQueues.add(queueKey(run.namespace, act.taskQueue), {
    runId: run.runId,
    scheduledEventId: act.scheduledEventId,
    attempt: act.attempt,
    nonce: act.nonce,
  });
  ctx.changed(run);
}

function timeoutFailure(act: ActivityState, type: number): Failure {
  return {
    message: `activity ${TIMEOUT_NAMES[type]} timeout`,
    timeoutFailureInfo: { timeoutType: type, lastHeartbeatDetails: act.heartbeatDetails },
    cause: type === TimeoutType.HEARTBEAT || type === TimeoutType.START_TO_CLOSE ? null : act.lastFailure,
  };
}

function onTimeout(ctx: Ctx, run: WorkflowRun, act: ActivityState, type: number): void {
  if (run.activities.get(act.scheduledEventId) !== act) return;
  failAttempt(ctx, run, act, timeoutFailure(act, type), '', type);
}

/**
 * (Re)arms every deadline that applies to the activity's current state; used after dispatch and after a restart.
 * A paused activity has none, as on the real server: not even a running attempt times out until it is unpaused.
 */
export function armActivity(ctx: Ctx, run: WorkflowRun, act: ActivityState): void {
  const group = runGroup(run);
  if (act.paused) {
    for (const what of ['s2c', 's2s', 'stc', 'hb', 'retry']) ctx.scheduler.cancel(group, timerKey(act, what));
    return;
  }
  const arm = (what: string, at: number, type: number) => {
    if (at > 0) ctx.scheduler.at(group, timerKey(act, what), at, () => onTimeout(ctx, run, act, type));
    else ctx.scheduler.cancel(group, timerKey(act, what));
  };
  arm('s2c', act.scheduleToCloseDeadline, TimeoutType.SCHEDULE_TO_CLOSE);
  arm('s2s', act.state === 'scheduled' ? act.scheduleToStartDeadline : 0, TimeoutType.SCHEDULE_TO_START);
  arm('stc', act.state === 'started' ? act.startToCloseDeadline : 0, TimeoutType.START_TO_CLOSE);
  arm('hb', act.state === 'started' ? act.heartbeatDeadline : 0, TimeoutType.HEARTBEAT);
  if (act.state === 'backoff') {
    ctx.scheduler.at(group, timerKey(act, 'retry'), act.retryAt, () => {
      if (run.activities.get(act.scheduledEventId) === act && act.state === 'backoff' && !act.paused)
        enqueueAttempt(ctx, run, act);
    });
  }
}
