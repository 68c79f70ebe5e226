// What a run's history says is pending at a reset point: the workflow task, activities, timers, children, the
// search attributes and memo, as the real server rebuilds its mutable state from the copied events.
import { decodePayload, type HistoryEvent, type Payload } from './proto';

/** A child pending at a reset point. */
export interface PendingChild {
  initiated: HistoryEvent;
  startedEventId: number;
  runId: string;
}

/** The state the history up to a reset point leaves behind. */
export interface ResetPoint {
  /** The workflow task scheduled or started at the point (null when none is). */
  workflowTask: { scheduledEventId: number; startedEventId: number; attempt: number } | null;
  /** ActivityTaskScheduled events without an outcome, with whether a cancel was requested. */
  activities: { event: HistoryEvent; cancelRequestedEventId: number }[];
  /** TimerStarted events that neither fired nor were cancelled. */
  timers: HistoryEvent[];
  /** Children initiated and not resolved: their StartChildWorkflowExecutionInitiated and, once started, the run. */
  children: PendingChild[];
  cancelRequested: boolean;
  searchAttributes: Record<string, Payload>;
  memo: Record<string, Payload>;
  lastCompletedStartedEventId: number;
}

const ACTIVITY_OUTCOMES = [
  'activityTaskCompletedEventAttributes',
  'activityTaskFailedEventAttributes',
  'activityTaskTimedOutEventAttributes',
  'activityTaskCanceledEventAttributes',
] as const;
/** The events that end a child workflow its parent started (or failed to start). */
export const CHILD_OUTCOMES = [
  'startChildWorkflowExecutionFailedEventAttributes',
  'childWorkflowExecutionCompletedEventAttributes',
  'childWorkflowExecutionFailedEventAttributes',
  'childWorkflowExecutionCanceledEventAttributes',
  'childWorkflowExecutionTimedOutEventAttributes',
  'childWorkflowExecutionTerminatedEventAttributes',
] as const;

function merge(target: Record<string, Payload>, fields: Record<string, Payload> | null | undefined): void {
  for (const [key, payload] of Object.entries(fields ?? {})) {
    const value = decodePayload(payload);
    if (value === null || (Array.isArray(value) && value.length === 0)) delete target[key];
    else target[key] = payload;
  }
}

function trackWorkflowTask(point: ResetPoint, e: HistoryEvent): void {
  const id = Number(e.eventId);
  if (e.workflowTaskScheduledEventAttributes) {
    point.workflowTask = {
      scheduledEventId: id,
      startedEventId: 0,
      attempt: e.workflowTaskScheduledEventAttributes.attempt || 1,
    };
  } else if (e.workflowTaskStartedEventAttributes && point.workflowTask) {
    point.workflowTask.startedEventId = id;
  } else if (e.workflowTaskCompletedEventAttributes) {
    point.lastCompletedStartedEventId = Number(e.workflowTaskCompletedEventAttributes.startedEventId);
    point.workflowTask = null;
  } else if (e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes) {
    point.workflowTask = null;
  }
}

/** Replays `events` (the history up to the reset point) into what is pending there. */
export function resetPointOf(events: HistoryEvent[]): ResetPoint {
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  const point: ResetPoint = {
    workflowTask: null,
    activities: [],
    timers: [],
    children: [],
    cancelRequested: false,
    searchAttributes: { ...(started?.searchAttributes?.indexedFields ?? {}) },
    memo: { ...(started?.memo?.fields ?? {}) },
    lastCompletedStartedEventId: 0,
  };
  const activities = new Map<number, { event: HistoryEvent; cancelRequestedEventId: number }>();
  const timers = new Map<string, HistoryEvent>();
  const children = new Map<number, PendingChild>();
  for (const e of events) {
    const id = Number(e.eventId);
    trackWorkflowTask(point, e);
    if (e.activityTaskScheduledEventAttributes) activities.set(id, { event: e, cancelRequestedEventId: 0 });
    const cancel = e.activityTaskCancelRequestedEventAttributes;
    const requested = cancel ? activities.get(Number(cancel.scheduledEventId)) : undefined;
    if (requested) requested.cancelRequestedEventId = id;
    for (const field of ACTIVITY_OUTCOMES) if (e[field]) activities.delete(Number(e[field].scheduledEventId));
    if (e.timerStartedEventAttributes) timers.set(e.timerStartedEventAttributes.timerId ?? '', e);
    const timerEnd = e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes;
    if (timerEnd) timers.delete(timerEnd.timerId ?? '');
    if (e.startChildWorkflowExecutionInitiatedEventAttributes)
      children.set(id, { initiated: e, startedEventId: 0, runId: '' });
    const childStarted = e.childWorkflowExecutionStartedEventAttributes;
    const child = childStarted ? children.get(Number(childStarted.initiatedEventId)) : undefined;
    if (child) Object.assign(child, { startedEventId: id, runId: childStarted?.workflowExecution?.runId ?? '' });
    for (const field of CHILD_OUTCOMES) if (e[field]) children.delete(Number(e[field].initiatedEventId));
    if (e.workflowExecutionCancelRequestedEventAttributes) point.cancelRequested = true;
    merge(point.searchAttributes, e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields);
    merge(point.memo, e.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields);
  }
  return {
    ...point,
    activities: [...activities.values()],
    timers: [...timers.values()],
    children: [...children.values()],
  };
}
