// Appending history events, buffering while a workflow task is in flight, and scheduling workflow tasks.
import { queueKey, type Ctx } from './context';
import {
  api,
  attrField,
  duration,
  eventTypeOf,
  timestamp,
  type AttrsOf,
  type EventName,
  type HistoryEvent,
} from './proto';
import type { BufferedEvent, WorkflowRun } from './state';

const HistoryEventType = api.history.v1.HistoryEvent;

/** Appends one event with the next id and the current time; returns it. */
export function append<N extends EventName>(run: WorkflowRun, name: N, attrs: AttrsOf<N>): HistoryEvent {
  const eventId = run.history.length + 1;
  const event = HistoryEventType.fromObject({
    eventId,
    eventTime: timestamp(Date.now()),
    eventType: eventTypeOf(name),
    taskId: eventId,
    [attrField(name)]: attrs,
  });
  run.history.push(event);
  return event;
}

/** The id the next appended event will get. */
export function nextEventId(run: WorkflowRun): number {
  return run.history.length + 1;
}

function writeBuffered(run: WorkflowRun, item: BufferedEvent): void {
  const attrs = { ...item.attrs };
  if (item.startedFrom) attrs.startedEventId = run.links[item.startedFrom] ?? 0;
  const event = append(run, item.name, attrs as AttrsOf<EventName>);
  if (item.recordAs) run.links[item.recordAs] = Number(event.eventId);
}

/** Writes every buffered event in arrival order; returns how many were written. */
export function flushBuffer(run: WorkflowRun): number {
  const items = run.buffered;
  run.buffered = [];
  for (const item of items) writeBuffered(run, item);
  return items.length;
}

/**
 * Adds events caused outside a workflow task (signals, activity results, timers, children): buffered while a task
 * is started, otherwise written at once and a workflow task scheduled if none is pending.
 */
export function addEvents(ctx: Ctx, run: WorkflowRun, items: BufferedEvent[]): void {
  if (run.status !== 1) return;
  if (run.wft.state === 'started') {
    run.buffered.push(...items);
  } else {
    for (const item of items) writeBuffered(run, item);
    if (run.wft.state === 'none') scheduleWorkflowTask(ctx, run, 1);
  }
  ctx.changed(run);
}

/** Convenience for a single event name + attributes. */
export function addEvent<N extends EventName>(
  ctx: Ctx,
  run: WorkflowRun,
  name: N,
  attrs: AttrsOf<N>,
  extra?: Partial<BufferedEvent>,
): void {
  addEvents(ctx, run, [{ name, attrs: attrs as Record<string, unknown>, ...extra }]);
}

/** Writes WorkflowTaskScheduled and puts the task on the run's task queue. */
export function scheduleWorkflowTask(ctx: Ctx, run: WorkflowRun, attempt: number): void {
  const event = append(run, 'WorkflowTaskScheduled', {
    taskQueue: { name: run.taskQueue, kind: api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    startToCloseTimeout: duration(run.workflowTaskTimeoutMs),
    attempt,
  });
  run.wft = {
    state: 'scheduled',
    scheduledEventId: Number(event.eventId),
    startedEventId: 0,
    attempt,
    nonce: run.wft.nonce + 1,
    deadline: 0,
    scheduledTime: Date.now(),
  };
  ctx.workflowQueues.add(queueKey(run.namespace, run.taskQueue), {
    kind: 'workflow',
    runId: run.runId,
    scheduledEventId: run.wft.scheduledEventId,
  });
  ctx.changed(run);
}

/** The scheduler group of a run's deadlines. */
export function runGroup(run: WorkflowRun): string {
  return run.runId;
}
