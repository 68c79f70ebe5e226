// PauseActivity, UnpauseActivity, ResetActivity and UpdateActivityOptions: an operator's controls over a workflow's
// pending activities, as the real server's history service applies them. A running attempt learns of a pause or
// reset from its next heartbeat (`activity_paused` / `activity_reset`), which makes the worker cancel it.
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { temporal } from '@temporalio/proto';
import { effectiveOptions, mergeOptions, optionsMessage } from './activity-options';
import { armActivity, enqueueAttempt } from './activity-outcomes';
import { requireNamespace } from './client-handlers';
import type { Ctx } from './context';
import { alreadyCompleted, GrpcError, invalidArgument } from './errors';
import { toMs } from './proto';
import { resolveRun } from './runs';
import { isClosed, type ActivityOptionsOverride, type ActivityState, type WorkflowRun } from './state';

type V1 = typeof temporal.api.workflowservice.v1;
type Req<N extends keyof V1> = V1[N] extends { create(props?: infer P): unknown } ? NonNullable<P> : never;

/** How a request names its activities: by id, by type, or all of them. */
interface Selection {
  namespace?: string | null;
  execution?: { workflowId?: string | null; runId?: string | null } | null;
  id?: string | null;
  type?: string | null;
  matchAll?: boolean | null;
  unpauseAll?: boolean | null;
}

function openRun(ctx: Ctx, req: Selection): WorkflowRun {
  const run = resolveRun(ctx, requireNamespace(ctx, req.namespace), req.execution);
  if (isClosed(run)) throw alreadyCompleted();
  return run;
}

function activityType(run: WorkflowRun, act: ActivityState): string {
  return run.history[act.scheduledEventId - 1]?.activityTaskScheduledEventAttributes?.activityType?.name ?? '';
}

/** The pending activities the request names, or the real server's NOT_FOUND when it names none. */
function selected(run: WorkflowRun, req: Selection): ActivityState[] {
  const pending = [...run.activities.values()];
  const found = req.id
    ? pending.filter((a) => a.activityId === req.id)
    : req.type
      ? pending.filter((a) => activityType(run, a) === req.type)
      : req.matchAll || req.unpauseAll
        ? pending
        : [];
  if (found.length === 0) {
    throw new GrpcError(
      GrpcStatus.NOT_FOUND,
      "Can't find pending activity with such ID. Invalid activityID or activity already completed",
      { type: 'NotFoundFailure', value: {} },
    );
  }
  return found;
}

/** Lets an activity that is not running get its next attempt: now, or within `jitterMs`. */
function dispatchAgain(ctx: Ctx, run: WorkflowRun, act: ActivityState, jitterMs: number): void {
  if (act.state === 'started') return armActivity(ctx, run, act);
  act.nonce += 1; // a queued attempt from before is stale now
  if (jitterMs <= 0) return enqueueAttempt(ctx, run, act);
  act.state = 'backoff';
  act.retryAt = Date.now() + Math.floor(Math.random() * jitterMs);
  armActivity(ctx, run, act);
}

/** PauseActivity: no new attempt starts; a running one hears `activity_paused` and its failure waits for unpause. */
export function pauseActivity(ctx: Ctx, req: Req<'PauseActivityRequest'>): object {
  const run = openRun(ctx, req);
  for (const act of selected(run, req)) {
    if (act.paused) {
      if (act.paused.requestId && act.paused.requestId === req.requestId) continue;
      throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, 'activity is already paused');
    }
    const requestId = req.requestId ?? '';
    act.paused = { time: Date.now(), identity: req.identity ?? '', reason: req.reason ?? '', requestId };
    if (act.state === 'scheduled') act.state = 'backoff'; // leaves the queue until unpaused
    armActivity(ctx, run, act);
  }
  ctx.changed(run);
  return {};
}

/** UnpauseActivity: paused activities go on (optionally from attempt 1 and without heartbeat details). */
export function unpauseActivity(ctx: Ctx, req: Req<'UnpauseActivityRequest'>): object {
  const run = openRun(ctx, req);
  for (const act of selected(run, req)) {
    if (!act.paused) continue;
    act.paused = null;
    if (req.resetAttempts) act.attempt = 1;
    if (req.resetHeartbeat) act.heartbeatDetails = null;
    dispatchAgain(ctx, run, act, toMs(req.jitter));
  }
  ctx.changed(run);
  return {};
}

function restoreOriginal(run: WorkflowRun, act: ActivityState): void {
  act.options = null;
  const scheduled = run.history[act.scheduledEventId - 1]?.activityTaskScheduledEventAttributes;
  act.taskQueue = scheduled?.taskQueue?.name || act.taskQueue;
  applyDeadline(act, effectiveOptions(run, act));
}

function applyDeadline(act: ActivityState, options: ActivityOptionsOverride): void {
  act.scheduleToCloseDeadline = options.scheduleToCloseMs > 0 ? act.scheduledTime + options.scheduleToCloseMs : 0;
}

/**
 * ResetActivity: back to attempt 1; a running attempt hears `activity_reset` (and stays paused if it was: only an
 * activity that is not running is unpaused, unless `keepPaused`), a waiting one starts at once.
 */
export function resetActivity(ctx: Ctx, req: Req<'ResetActivityRequest'>): object {
  const run = openRun(ctx, req);
  for (const act of selected(run, req)) {
    act.attempt = 1;
    act.resetRequested = true;
    if (req.resetHeartbeat) act.resetHeartbeats = true;
    if (req.restoreOriginalOptions) restoreOriginal(run, act);
    if (act.state === 'started' || (act.paused && req.keepPaused)) {
      armActivity(ctx, run, act);
      continue;
    }
    act.paused = null;
    if (req.resetHeartbeat) act.heartbeatDetails = null;
    dispatchAgain(ctx, run, act, toMs(req.jitter));
  }
  ctx.changed(run);
  return {};
}

/** UpdateActivityOptions: merges the masked fields (or restores the scheduled ones) and answers the result. */
export function updateActivityOptions(ctx: Ctx, req: Req<'UpdateActivityOptionsRequest'>): object {
  if (req.updateMask && req.restoreOriginal) throw invalidArgument('Both UpdateMask and RestoreOriginal are provided');
  const run = openRun(ctx, req);
  if (!req.restoreOriginal && !req.activityOptions) throw invalidArgument('ActivityOptions are not provided');
  const activities = selected(run, req);
  if (!req.restoreOriginal && !req.updateMask) throw invalidArgument('UpdateMask is not provided');
  let answer: ActivityOptionsOverride | undefined;
  for (const act of activities) {
    if (req.restoreOriginal) {
      restoreOriginal(run, act);
    } else {
      act.options = mergeOptions(run, effectiveOptions(run, act), req.activityOptions!, req.updateMask?.paths ?? []);
      act.taskQueue = act.options.taskQueue;
      applyDeadline(act, act.options);
    }
    answer = effectiveOptions(run, act);
    if (act.state === 'scheduled')
      dispatchAgain(ctx, run, act, 0); // queued again, perhaps on another queue
    else armActivity(ctx, run, act);
  }
  ctx.changed(run);
  return { activityOptions: optionsMessage(answer!) };
}
