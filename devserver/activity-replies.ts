// A worker's replies to an activity task it holds, named by its task token: heartbeats, and the result, failure or
// cancellation that ends the attempt.
import { effectiveOptions } from './activity-options';
import { armActivity, failAttempt, finishActivity } from './activity-outcomes';
import type { Ctx } from './context';
import { taskNotFound } from './errors';
import type { Failure, Payloads } from './proto';
import { isClosed, type ActivityState, type WorkflowRun } from './state';
import { decodeToken } from './tokens';

/** Finds the running attempt a task token names, or NOT_FOUND. */
function attemptOf(ctx: Ctx, token: Uint8Array | null | undefined): { run: WorkflowRun; act: ActivityState } {
  const t = decodeToken(token);
  const run = t?.kind === 'activity' ? ctx.state.runs.get(t.runId) : undefined;
  const act = run?.activities.get(t!.id);
  if (
    !run ||
    !act ||
    isClosed(run) ||
    act.state !== 'started' ||
    act.attempt !== t!.attempt ||
    act.nonce !== t!.nonce
  ) {
    throw taskNotFound('activity task');
  }
  return { run, act };
}

/** RecordActivityTaskHeartbeat: keeps details, pushes the heartbeat deadline, reports cancel, pause and reset. */
export function heartbeat(
  ctx: Ctx,
  token: Uint8Array | null | undefined,
  details: Payloads | null | undefined,
): { cancelRequested: boolean; activityPaused: boolean; activityReset: boolean } {
  const { run, act } = attemptOf(ctx, token);
  act.heartbeatDetails = details ?? act.heartbeatDetails;
  act.lastHeartbeat = Date.now();
  const hb = effectiveOptions(run, act).heartbeatMs;
  if (hb > 0) {
    act.heartbeatDeadline = act.lastHeartbeat + hb;
    armActivity(ctx, run, act);
  }
  ctx.changed(run);
  return { cancelRequested: act.cancelRequested, activityPaused: !!act.paused, activityReset: !!act.resetRequested };
}

/** RespondActivityTaskCompleted. */
export function completeActivity(
  ctx: Ctx,
  token: Uint8Array | null | undefined,
  result: Payloads | null | undefined,
  identity: string,
): void {
  const { run, act } = attemptOf(ctx, token);
  finishActivity(ctx, run, act, 'ActivityTaskCompleted', { result: result ?? null, identity });
}

/** RespondActivityTaskFailed: retried per the retry policy, or the final ActivityTaskFailed. */
export function failActivity(
  ctx: Ctx,
  token: Uint8Array | null | undefined,
  failure: Failure | null | undefined,
  details: Payloads | null | undefined,
  identity: string,
): void {
  const { run, act } = attemptOf(ctx, token);
  if (details) act.heartbeatDetails = details;
  failAttempt(ctx, run, act, failure ?? { message: 'activity failed' }, identity);
}

/** RespondActivityTaskCanceled. */
export function cancelActivity(
  ctx: Ctx,
  token: Uint8Array | null | undefined,
  details: Payloads | null | undefined,
  identity: string,
): void {
  const { run, act } = attemptOf(ctx, token);
  finishActivity(ctx, run, act, 'ActivityTaskCanceled', {
    details: details ?? null,
    latestCancelRequestedEventId: act.cancelRequestedEventId,
    identity,
  });
}
