// Appending history events, buffering while a workflow task is in flight, and scheduling workflow tasks (normal,
// transient after a failure, speculative for updates; on the run's sticky queue when it has one).
import { TimeoutType } from './codes';
import type { Ctx } from './context';
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
import { isClosed, type BufferedEvent, type WorkflowRun } from './state';
import { clearStickyQueue, currentTaskQueue, stickyQueueOf, workflowTaskQueueKey } from './sticky-queues';

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

// Encoded size of each run's history so far, counted incrementally (a run object lives until it is evicted).
const sizes = new WeakMap<WorkflowRun, { events: number; bytes: number }>();

/** Encoded bytes of the run's history, as the real server counts what it has persisted. */
export function historySizeBytes(run: WorkflowRun): number {
  let counted = sizes.get(run);
  if (!counted || counted.events > run.history.length) counted = { events: 0, bytes: 0 };
  for (let i = counted.events; i < run.history.length; i++) {
    counted.bytes += HistoryEventType.encode(run.history[i]!).finish().length;
  }
  counted.events = run.history.length;
  sizes.set(run, counted);
  return counted.bytes;
}

/** The size fields of a WorkflowTaskStarted, by the real server's rule: history before the event vs the limits. */
export function startedSizeInfo(
  ctx: Ctx,
  run: WorkflowRun,
): { historySizeBytes: number; suggestContinueAsNew: boolean } {
  const bytes = historySizeBytes(run);
  const limits = ctx.historyLimits;
  const suggestContinueAsNew =
    bytes >= limits.suggestContinueAsNewBytes || run.history.length >= limits.suggestContinueAsNewCount;
  return { historySizeBytes: bytes, suggestContinueAsNew };
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
    // A speculative task that has not started becomes a normal one once history grows, as on the real server.
    if (run.wft.state === 'scheduled' && run.wft.speculative) writeSpeculativeScheduled(run);
    // A retry still in its backoff gets its first task when the backoff ends, whatever arrives meanwhile.
    if (run.wft.state === 'none' && run.firstTaskAt === 0) scheduleWorkflowTask(ctx, run, 1);
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

function scheduledAttrs(run: WorkflowRun, attempt: number): AttrsOf<'WorkflowTaskScheduled'> {
  return {
    taskQueue: currentTaskQueue(run),
    startToCloseTimeout: duration(run.workflowTaskTimeoutMs),
    attempt,
  };
}

/** How a workflow task is scheduled: speculative (only to deliver updates), and whether it goes on its queue. */
export interface ScheduleOptions {
  speculative?: boolean;
  /** False for a task handed out at once (eager workflow start) rather than through the task queue. */
  queue?: boolean;
}

/**
 * Schedules a workflow task and queues it. WorkflowTaskScheduled is written now unless the attempt is transient
 * (attempt > 1) or the task speculative: those are only shown to the worker, and written if the attempt completes.
 */
export function scheduleWorkflowTask(ctx: Ctx, run: WorkflowRun, attempt: number, options: ScheduleOptions = {}): void {
  const transient = attempt > 1;
  const speculative = !transient && options.speculative === true;
  const scheduledEventId =
    transient || speculative ? 0 : Number(append(run, 'WorkflowTaskScheduled', scheduledAttrs(run, attempt)).eventId);
  const nonce = run.wft.nonce + 1;
  run.wft = {
    state: 'scheduled',
    scheduledEventId,
    startedEventId: 0,
    attempt,
    nonce,
    deadline: 0,
    scheduledTime: Date.now(),
    transient,
    speculative,
    startedTime: 0,
    startedIdentity: '',
    startedRequestId: '',
  };
  if (options.queue !== false)
    ctx.workflowQueues.add(workflowTaskQueueKey(ctx, run), { kind: 'workflow', runId: run.runId, nonce });
  // A sticky task has a schedule-to-start timeout (a speculative one arms its own, with the same handler).
  const sticky = stickyQueueOf(run);
  if (sticky && !speculative) armScheduleToStartTimeout(ctx, run, run.wft.scheduledTime + sticky.scheduleToStartMs);
  ctx.changed(run);
}

/**
 * Times the scheduled task out if no worker has started it by `atMs`: WorkflowTaskTimedOut (schedule-to-start,
 * after the WorkflowTaskScheduled of a speculative task), the stickiness ends, and a new task goes to the normal
 * queue with attempt 1 (the real server does not count these timeouts as failed attempts).
 */
export function armScheduleToStartTimeout(ctx: Ctx, run: WorkflowRun, atMs: number): void {
  const nonce = run.wft.nonce;
  ctx.scheduler.at(runGroup(run), 'wft-schedule-to-start', atMs, () => {
    if (isClosed(run) || run.wft.state !== 'scheduled' || run.wft.nonce !== nonce) return;
    if (run.wft.speculative) writeSpeculativeScheduled(run);
    append(run, 'WorkflowTaskTimedOut', {
      scheduledEventId: run.wft.scheduledEventId,
      startedEventId: 0,
      timeoutType: TimeoutType.SCHEDULE_TO_START,
    });
    clearStickyQueue(run);
    run.wft = { ...run.wft, state: 'none' };
    scheduleWorkflowTask(ctx, run, 1);
  });
}

/** True while the scheduled or started task has no events in history yet (transient or speculative). */
export function taskUnwritten(run: WorkflowRun): boolean {
  return run.wft.state !== 'none' && (run.wft.transient || run.wft.speculative === true);
}

/** Writes the WorkflowTaskScheduled of a speculative task that has not started: it is a normal task from now on. */
export function writeSpeculativeScheduled(run: WorkflowRun): void {
  const event = append(run, 'WorkflowTaskScheduled', scheduledAttrs(run, run.wft.attempt));
  run.wft = { ...run.wft, scheduledEventId: Number(event.eventId), speculative: false };
}

/** The Scheduled/Started events of a started transient or speculative task, numbered after the current history. */
export function transientEvents(ctx: Ctx, run: WorkflowRun): HistoryEvent[] {
  const at = (eventId: number, name: EventName, ms: number, attrs: object) =>
    HistoryEventType.fromObject({
      eventId,
      eventTime: timestamp(ms),
      eventType: eventTypeOf(name),
      taskId: eventId,
      [attrField(name)]: attrs,
    });
  const first = run.history.length + 1;
  return [
    at(first, 'WorkflowTaskScheduled', run.wft.scheduledTime, scheduledAttrs(run, run.wft.attempt)),
    at(first + 1, 'WorkflowTaskStarted', run.wft.startedTime, {
      scheduledEventId: first,
      identity: run.wft.startedIdentity,
      requestId: run.wft.startedRequestId,
      ...startedSizeInfo(ctx, run),
    }),
  ];
}

/** Writes a started transient or speculative task's Scheduled/Started events (on completion or force-close). */
export function materializeTransient(ctx: Ctx, run: WorkflowRun): void {
  if (run.wft.state !== 'started' || !taskUnwritten(run)) return;
  const [scheduled, started] = transientEvents(ctx, run);
  run.history.push(scheduled!, started!);
  run.wft = {
    ...run.wft,
    scheduledEventId: Number(scheduled!.eventId),
    startedEventId: Number(started!.eventId),
    transient: false,
    speculative: false,
  };
}

/** The scheduler group of a run's deadlines. */
export function runGroup(run: WorkflowRun): string {
  return run.runId;
}
