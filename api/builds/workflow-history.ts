import type { temporal } from '@temporalio/proto';
// A default import: the package is CommonJS, and Node's ESM loader cannot see its named exports.
import protoPackage from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Failure = temporal.api.failure.v1.IFailure | null | undefined;

/** One workflow history event as the build page shows it: what happened, when, to which activity or child. */
export interface WorkflowEventView {
  id: number;
  type: string;
  time: string | null;
  /** The activity type, child workflow type, timer or signal name the event is about. */
  name: string | null;
  /** The failure message (with its causes) of a failed or timed-out event. */
  failure: string | null;
}

const eventTypes = protoPackage.temporal.api.enums.v1.EventType;

/** `EVENT_TYPE_ACTIVITY_TASK_SCHEDULED` → `ActivityTaskScheduled`, as the Temporal Web UI names events. */
export function eventTypeName(type: number | null | undefined): string {
  const raw = eventTypes[type ?? 0] ?? 'EVENT_TYPE_UNSPECIFIED';
  return raw
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

function failureText(failure: Failure): string | null {
  const parts: string[] = [];
  for (let f = failure; f && parts.length < 4; f = f.cause) if (f.message) parts.push(f.message);
  return parts.length ? parts.join(' ← ') : null;
}

function toDate(time: temporal.api.history.v1.IHistoryEvent['eventTime']): string | null {
  if (!time?.seconds) return null;
  const ms = Number(time.seconds) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
}

/**
 * Names the activity or child workflow each event refers to: scheduled/started events carry the name, later
 * ones (started, completed, failed) point back at the scheduling event's id.
 */
export function describeHistory(events: HistoryEvent[]): WorkflowEventView[] {
  const names = new Map<string, string>();
  return events.map((event) => {
    const id = String(event.eventId ?? '');
    const a = event.activityTaskScheduledEventAttributes;
    const child = event.startChildWorkflowExecutionInitiatedEventAttributes;
    let name = a?.activityType?.name ?? child?.workflowType?.name ?? null;
    name ??= event.timerStartedEventAttributes?.timerId ?? null;
    name ??= event.workflowExecutionSignaledEventAttributes?.signalName ?? null;
    name ??= event.workflowExecutionStartedEventAttributes?.workflowType?.name ?? null;
    if (name) names.set(id, name);
    const ref =
      event.activityTaskStartedEventAttributes?.scheduledEventId ??
      event.activityTaskCompletedEventAttributes?.scheduledEventId ??
      event.activityTaskFailedEventAttributes?.scheduledEventId ??
      event.activityTaskTimedOutEventAttributes?.scheduledEventId ??
      event.activityTaskCanceledEventAttributes?.scheduledEventId ??
      event.childWorkflowExecutionStartedEventAttributes?.initiatedEventId ??
      event.childWorkflowExecutionCompletedEventAttributes?.initiatedEventId ??
      event.childWorkflowExecutionFailedEventAttributes?.initiatedEventId ??
      event.childWorkflowExecutionCanceledEventAttributes?.initiatedEventId;
    if (!name && ref != null) name = names.get(String(ref)) ?? null;
    const failure =
      failureText(event.activityTaskFailedEventAttributes?.failure) ??
      failureText(event.activityTaskTimedOutEventAttributes?.failure) ??
      failureText(event.childWorkflowExecutionFailedEventAttributes?.failure) ??
      failureText(event.workflowExecutionFailedEventAttributes?.failure) ??
      failureText(event.workflowTaskFailedEventAttributes?.failure);
    return { id: Number(id), type: eventTypeName(event.eventType), time: toDate(event.eventTime), name, failure };
  });
}
