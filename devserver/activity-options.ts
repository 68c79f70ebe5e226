// An activity's effective options: those of its ActivityTaskScheduled event until UpdateActivityOptions changes
// them, merged by field mask and normalized as the real server does, in the forms dispatch and describe answer.
import type { temporal } from '@temporalio/proto';
import { invalidArgument } from './errors';
import { duration, toMs, type Duration, type Loose, type RetryPolicy } from './proto';
import type { ActivityOptionsOverride, ActivityState, WorkflowRun } from './state';

type ActivityOptionsMessage = temporal.api.activity.v1.IActivityOptions;
type TimeoutName = 'scheduleToCloseTimeout' | 'scheduleToStartTimeout' | 'startToCloseTimeout' | 'heartbeatTimeout';
type Timeouts = { [K in TimeoutName]?: Duration | null };

/** Fills in timeouts the way the real server does: everything bounded by schedule-to-close and the run timeout. */
export function normalizeTimeouts(run: WorkflowRun, a: Timeouts) {
  const runTimeout = run.runDeadline > 0 ? Math.max(0, run.runDeadline - run.startTime) : 0;
  let s2c = toMs(a.scheduleToCloseTimeout);
  let s2s = toMs(a.scheduleToStartTimeout);
  let stc = toMs(a.startToCloseTimeout);
  if (s2c > 0) {
    if (runTimeout > 0) s2c = Math.min(s2c, runTimeout);
    s2s = s2s > 0 ? Math.min(s2s, s2c) : s2c;
    stc = stc > 0 ? Math.min(stc, s2c) : s2c;
  } else if (stc > 0) {
    s2c = runTimeout;
    if (s2s <= 0) s2s = s2c;
    else if (s2c > 0) s2s = Math.min(s2s, s2c);
  } else {
    throw invalidArgument('ScheduleActivityTask needs a start-to-close or schedule-to-close timeout.');
  }
  const hb = Math.min(toMs(a.heartbeatTimeout), stc);
  return { s2c, s2s, stc, hb };
}

/** The options an activity runs with now. */
export function effectiveOptions(run: WorkflowRun, act: ActivityState): ActivityOptionsOverride {
  if (act.options) return act.options;
  const s = run.history[act.scheduledEventId - 1]?.activityTaskScheduledEventAttributes;
  const retry = s?.retryPolicy;
  return {
    taskQueue: act.taskQueue,
    scheduleToCloseMs: toMs(s?.scheduleToCloseTimeout),
    scheduleToStartMs: toMs(s?.scheduleToStartTimeout),
    startToCloseMs: toMs(s?.startToCloseTimeout),
    heartbeatMs: toMs(s?.heartbeatTimeout),
    retry: {
      initialIntervalMs: toMs(retry?.initialInterval),
      backoffCoefficient: retry?.backoffCoefficient ?? 2,
      maximumIntervalMs: toMs(retry?.maximumInterval),
      maximumAttempts: retry?.maximumAttempts ?? 0,
      nonRetryableErrorTypes: [...(retry?.nonRetryableErrorTypes ?? [])],
    },
  };
}

/** The retry policy of the options, as a RetryPolicy message. */
export function retryPolicyOf(o: ActivityOptionsOverride): Loose<RetryPolicy> {
  return {
    initialInterval: duration(o.retry.initialIntervalMs),
    backoffCoefficient: o.retry.backoffCoefficient,
    maximumInterval: duration(o.retry.maximumIntervalMs),
    maximumAttempts: o.retry.maximumAttempts,
    nonRetryableErrorTypes: o.retry.nonRetryableErrorTypes,
  };
}

/** The options as an ActivityOptions message (describe, UpdateActivityOptions' answer). */
export function optionsMessage(o: ActivityOptionsOverride): Loose<ActivityOptionsMessage> {
  return {
    taskQueue: { name: o.taskQueue, normalName: o.taskQueue },
    scheduleToCloseTimeout: duration(o.scheduleToCloseMs),
    scheduleToStartTimeout: duration(o.scheduleToStartMs),
    startToCloseTimeout: duration(o.startToCloseMs),
    heartbeatTimeout: duration(o.heartbeatMs),
    retryPolicy: retryPolicyOf(o),
  };
}

const TIMEOUT_FIELDS = {
  scheduleToCloseTimeout: 'scheduleToCloseMs',
  scheduleToStartTimeout: 'scheduleToStartMs',
  startToCloseTimeout: 'startToCloseMs',
  heartbeatTimeout: 'heartbeatMs',
} as const;
const RETRY_FIELDS = ['initialInterval', 'backoffCoefficient', 'maximumInterval', 'maximumAttempts'] as const;

function mergeRetry(into: ActivityOptionsOverride['retry'], from: RetryPolicy, field: string): void {
  if (field === 'initialInterval') into.initialIntervalMs = toMs(from.initialInterval);
  if (field === 'backoffCoefficient') into.backoffCoefficient = from.backoffCoefficient ?? 0;
  if (field === 'maximumInterval') into.maximumIntervalMs = toMs(from.maximumInterval);
  if (field === 'maximumAttempts') into.maximumAttempts = from.maximumAttempts ?? 0;
}

/** A field mask path in the camelCase form the real server compares (`retry_policy.x` → `retryPolicy.x`). */
function camel(path: string): string {
  return path.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Applies the fields `paths` names from `from` onto `current` (MergeActivityOptions), then normalizes timeouts. */
export function mergeOptions(
  run: WorkflowRun,
  current: ActivityOptionsOverride,
  from: ActivityOptionsMessage,
  paths: string[],
): ActivityOptionsOverride {
  const merged: ActivityOptionsOverride = { ...current, retry: { ...current.retry } };
  for (const path of paths.map(camel)) {
    if (path === 'taskQueue.name') {
      if (!from.taskQueue) throw invalidArgument('TaskQueue is not provided');
      merged.taskQueue = from.taskQueue.name ?? '';
    }
    if (path in TIMEOUT_FIELDS) {
      const key = path as keyof typeof TIMEOUT_FIELDS;
      merged[TIMEOUT_FIELDS[key]] = toMs(from[key]);
    }
    if (path === 'retryPolicy' || path.startsWith('retryPolicy.')) {
      if (!from.retryPolicy) throw invalidArgument('RetryPolicy is not provided');
      const fields = path === 'retryPolicy' ? RETRY_FIELDS : [path.slice('retryPolicy.'.length)];
      for (const field of fields) mergeRetry(merged.retry, from.retryPolicy, field);
    }
  }
  return normalized(run, merged);
}

function normalized(run: WorkflowRun, o: ActivityOptionsOverride): ActivityOptionsOverride {
  if (!o.taskQueue) throw invalidArgument('TaskQueue is not set on ActivityOptions.');
  if (o.retry.backoffCoefficient < 1) throw invalidArgument('BackoffCoefficient cannot be less than 1.');
  const t = normalizeTimeouts(run, {
    scheduleToCloseTimeout: duration(o.scheduleToCloseMs),
    scheduleToStartTimeout: duration(o.scheduleToStartMs),
    startToCloseTimeout: duration(o.startToCloseMs),
    heartbeatTimeout: duration(o.heartbeatMs),
  });
  return { ...o, scheduleToCloseMs: t.s2c, scheduleToStartMs: t.s2s, startToCloseMs: t.stc, heartbeatMs: t.hb };
}
