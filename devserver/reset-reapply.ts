// What a reset run gets back from the run it was reset from, as the real server's workflow resetter does: the
// children pending at the reset point stay its children (history.allowResetWithPendingChildren, on by default), the
// base run's later events about them are written again, and so are the signals it received after the point.
import { ParentClose } from './codes';
import type { Ctx } from './context';
import { append } from './history';
import type { AttrsOf, EventName, HistoryEvent } from './proto';
import type { PendingChild } from './reset-point';
import type { WorkflowRun } from './state';

// Events about a child that the reset run writes again, by attribute field, with the event name they are written as.
const CHILD_EVENTS = {
  childWorkflowExecutionStartedEventAttributes: 'ChildWorkflowExecutionStarted',
  startChildWorkflowExecutionFailedEventAttributes: 'StartChildWorkflowExecutionFailed',
  childWorkflowExecutionCompletedEventAttributes: 'ChildWorkflowExecutionCompleted',
  childWorkflowExecutionFailedEventAttributes: 'ChildWorkflowExecutionFailed',
  childWorkflowExecutionCanceledEventAttributes: 'ChildWorkflowExecutionCanceled',
  childWorkflowExecutionTimedOutEventAttributes: 'ChildWorkflowExecutionTimedOut',
  childWorkflowExecutionTerminatedEventAttributes: 'ChildWorkflowExecutionTerminated',
} as const satisfies Partial<Record<keyof HistoryEvent, EventName>>;
type ChildField = keyof typeof CHILD_EVENTS;
const CHILD_FIELDS = Object.keys(CHILD_EVENTS) as ChildField[];

/** Makes the children pending at the point the reset run's children again (the link lets outcomes name Started). */
export function restoreChildren(run: WorkflowRun, children: PendingChild[]): void {
  for (const { initiated, startedEventId, runId } of children) {
    const a = initiated.startChildWorkflowExecutionInitiatedEventAttributes!;
    const initiatedEventId = Number(initiated.eventId);
    run.children.set(initiatedEventId, {
      initiatedEventId,
      namespace: a.namespace || run.namespace,
      workflowId: a.workflowId ?? '',
      runId,
      workflowType: a.workflowType?.name ?? '',
      parentClosePolicy: a.parentClosePolicy || ParentClose.TERMINATE,
      started: startedEventId > 0,
    });
    if (startedEventId > 0) run.links[`child:${initiatedEventId}`] = startedEventId;
  }
}

function childFieldOf(e: HistoryEvent): ChildField | undefined {
  return CHILD_FIELDS.find((field) => e[field]);
}

/**
 * The base run's events after the point the reset run writes again, in the base run's order: its signals (when
 * reapplied), its events about the children pending at the point, then the signals of the runs it continued as.
 */
export function eventsToReapply(ctx: Ctx, base: WorkflowRun, finishId: number, signals: boolean): HistoryEvent[] {
  const beforePoint = (id: number) => id < finishId;
  const events = base.history.slice(finishId - 1).filter((e) => {
    if (e.workflowExecutionSignaledEventAttributes) return signals;
    const field = childFieldOf(e);
    return !!field && beforePoint(Number(e[field]!.initiatedEventId));
  });
  if (!signals) return events;
  for (let next = ctx.state.runs.get(base.newExecutionRunId); next; next = ctx.state.runs.get(next.newExecutionRunId)) {
    events.push(...next.history.filter((e) => e.workflowExecutionSignaledEventAttributes));
    if (!next.newExecutionRunId) break;
  }
  return events;
}

function reapplyChildEvent(run: WorkflowRun, field: ChildField, e: HistoryEvent): void {
  const initiatedEventId = Number(e[field]!.initiatedEventId);
  const child = run.children.get(initiatedEventId);
  if (!child) return;
  const link = `child:${initiatedEventId}`;
  const attrs = { ...e[field] } as Record<string, unknown>;
  if (field === 'childWorkflowExecutionStartedEventAttributes') {
    if (child.started) return;
    const started = append(run, CHILD_EVENTS[field], attrs as AttrsOf<'ChildWorkflowExecutionStarted'>);
    run.links[link] = Number(started.eventId);
    Object.assign(child, { started: true, runId: e[field]!.workflowExecution?.runId ?? '' });
    return;
  }
  if (field !== 'startChildWorkflowExecutionFailedEventAttributes') attrs.startedEventId = run.links[link] ?? 0;
  append(run, CHILD_EVENTS[field], attrs as AttrsOf<EventName>);
  run.children.delete(initiatedEventId);
}

/** Writes the events to reapply into the reset run, keeping its children up to date. */
export function reapplyEvents(run: WorkflowRun, events: HistoryEvent[]): void {
  for (const e of events) {
    const field = childFieldOf(e);
    if (field) {
      reapplyChildEvent(run, field, e);
      continue;
    }
    const s = e.workflowExecutionSignaledEventAttributes!;
    append(run, 'WorkflowExecutionSignaled', {
      signalName: s.signalName ?? '',
      input: s.input ?? null,
      identity: s.identity ?? '',
      header: s.header ?? null,
    });
  }
}
