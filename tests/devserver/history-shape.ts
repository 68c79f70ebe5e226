// Structural rules every history written by a real Temporal server follows (checked against recorded real
// histories such as sdk-typescript's cancel_fake_progress_history.json): the devserver's histories must too.
type Event = { eventId?: unknown; eventTime?: unknown; eventType?: unknown };

const E = {
  STARTED: 1,
  WFT_SCHEDULED: 5,
  WFT_STARTED: 6,
  WFT_COMPLETED: 7,
  WFT_TIMED_OUT: 8,
  WFT_FAILED: 9,
  ACT_STARTED: 11,
  TIMER_STARTED: 17,
  TIMER_FIRED: 18,
} as const;
const SCHEDULE_TO_START = 2; // TimeoutType
const CLOSE_EVENTS = [2, 3, 4, 21, 27, 28]; // completed, failed, timed out, canceled, terminated, continued-as-new
const ACT_OUTCOMES = [12, 13, 14, 16]; // completed, failed, timed out, canceled

function attrsOf(event: Event): Record<string, unknown> {
  const key = Object.keys(event).find((k) => k.endsWith('EventAttributes') && (event as Record<string, unknown>)[k]);
  return ((key && (event as Record<string, unknown>)[key]) ?? {}) as Record<string, unknown>;
}

/** Returns the rule violations of a history (empty when it looks like a real server's). */
export function historyShapeProblems(history: readonly object[]): string[] {
  const events = history as Event[];
  const problems: string[] = [];
  const type = (i: number) => Number(events[i]?.eventType ?? 0);
  const id = (v: unknown) => Number(v ?? 0);
  events.forEach((event, i) => {
    const at = `event ${i + 1} (type ${type(i)})`;
    if (id(event.eventId) !== i + 1) problems.push(`${at}: id ${String(event.eventId)} breaks the 1, 2, 3… sequence`);
    if (!event.eventTime) problems.push(`${at}: no event_time`);
    const attrs = attrsOf(event);
    if (type(i) === E.WFT_STARTED && type(id(attrs.scheduledEventId) - 1) !== E.WFT_SCHEDULED)
      problems.push(`${at}: does not point at a WorkflowTaskScheduled`);
    // While a workflow task runs, everything else is buffered: its outcome directly follows WorkflowTaskStarted.
    // …except a schedule-to-start timeout (a task no worker started), which directly follows its WorkflowTaskScheduled.
    const scheduleToStart = type(i) === E.WFT_TIMED_OUT && attrs.timeoutType === SCHEDULE_TO_START;
    const taskEvent = scheduleToStart ? E.WFT_SCHEDULED : E.WFT_STARTED;
    if ([E.WFT_COMPLETED, E.WFT_FAILED, E.WFT_TIMED_OUT].includes(type(i) as 7) && type(i - 1) !== taskEvent) {
      const follows = scheduleToStart ? 'WorkflowTaskScheduled' : 'WorkflowTaskStarted';
      problems.push(`${at}: workflow task outcome does not directly follow ${follows}`);
    }
    if (
      type(i) === E.ACT_STARTED &&
      (!ACT_OUTCOMES.includes(type(i + 1)) || id(attrsOf(events[i + 1]!).startedEventId) !== i + 1)
    ) {
      problems.push(`${at}: ActivityTaskStarted is not directly followed by its outcome`);
    }
    if (type(i) === E.TIMER_FIRED) {
      const started = events[id(attrs.startedEventId) - 1];
      if (!started || Number(started.eventType) !== E.TIMER_STARTED || attrsOf(started).timerId !== attrs.timerId)
        problems.push(`${at}: TimerFired without its TimerStarted`);
    }
    const completedId = id(attrs.workflowTaskCompletedEventId);
    if (completedId > 0 && type(completedId - 1) !== E.WFT_COMPLETED)
      problems.push(`${at}: workflowTaskCompletedEventId ${completedId} is not a WorkflowTaskCompleted`);
    if (CLOSE_EVENTS.includes(type(i)) && i !== events.length - 1) problems.push(`${at}: events after the close event`);
  });
  const first = attrsOf(events[0] ?? {});
  if (type(0) !== E.STARTED) problems.push('history does not start with WorkflowExecutionStarted');
  if (!first.originalExecutionRunId || !first.firstExecutionRunId || !first.workflowTaskTimeout)
    problems.push('WorkflowExecutionStarted lacks run ids or workflow task timeout');
  return problems;
}
