// User timers: StartTimer writes TimerStarted and arms TimerFired; CancelTimer writes TimerCanceled and drops a
// TimerFired still waiting behind the workflow task.
import type { Ctx } from './context';
import { addEvent, append, runGroup } from './history';
import { toMs, type Command } from './proto';
import type { WorkflowRun } from './state';

/** Starts a user timer (TimerStarted) and arms its firing. */
export function startTimer(
  ctx: Ctx,
  run: WorkflowRun,
  a: NonNullable<Command['startTimerCommandAttributes']>,
  completedEventId: number,
): void {
  const timerId = a.timerId ?? '';
  const event = append(run, 'TimerStarted', {
    timerId,
    startToFireTimeout: a.startToFireTimeout ?? null,
    workflowTaskCompletedEventId: completedEventId,
  });
  const timer = { timerId, startedEventId: Number(event.eventId), fireAt: Date.now() + toMs(a.startToFireTimeout) };
  run.timers.set(timerId, timer);
  armTimer(ctx, run, timer);
}

/** Arms a user timer's TimerFired (also used after a restart). */
export function armTimer(
  ctx: Ctx,
  run: WorkflowRun,
  timer: { timerId: string; startedEventId: number; fireAt: number },
): void {
  ctx.scheduler.at(runGroup(run), `timer:${timer.timerId}`, timer.fireAt, () => {
    if (run.timers.get(timer.timerId) !== timer) return;
    run.timers.delete(timer.timerId);
    addEvent(
      ctx,
      run,
      'TimerFired',
      { timerId: timer.timerId, startedEventId: timer.startedEventId },
      { timerId: timer.timerId },
    );
  });
}

/** Cancels a user timer (TimerCanceled), also one whose TimerFired waits behind the running task. */
export function cancelTimer(
  ctx: Ctx,
  run: WorkflowRun,
  timerId: string,
  completedEventId: number,
  identity: string,
): void {
  const timer = run.timers.get(timerId);
  const buffered = run.buffered.find((b) => b.timerId === timerId);
  const startedEventId = timer?.startedEventId ?? Number(buffered?.attrs.startedEventId ?? 0);
  run.timers.delete(timerId);
  ctx.scheduler.cancel(runGroup(run), `timer:${timerId}`);
  // A timer that fired while this task ran is cancelled as if it never fired: drop the buffered TimerFired.
  run.buffered = run.buffered.filter((b) => b.timerId !== timerId);
  append(run, 'TimerCanceled', { timerId, startedEventId, workflowTaskCompletedEventId: completedEventId, identity });
}
