// Speculative workflow tasks (the real server's docs/architecture/speculative-workflow-task.md): a task scheduled
// only to deliver updates is shown to the worker but not written to history. If the worker answers with nothing but
// rejections it is discarded, and RespondWorkflowTaskCompletedResponse.reset_history_event_id tells the worker to
// forget it, so a rejected update leaves no trace; any other answer writes it as a normal task.
import type { temporal } from '@temporalio/proto';
import type { Ctx } from './context';
import { armScheduleToStartTimeout, scheduleWorkflowTask } from './history';
import type { WorkflowRun } from './state';
import { stickyQueueOf } from './sticky-queues';

/** The real server's `SpeculativeWorkflowTaskScheduleToStartTimeout`, even on a normal task queue. */
const SCHEDULE_TO_START_MS = 5000;
/** `history.discardSpeculativeWorkflowTaskMaximumEventsCount`: more events than this and the task is kept. */
const DISCARD_MAX_EVENTS = 10;

/** Schedules a speculative task (nothing in history) and arms its schedule-to-start timeout. */
export function scheduleSpeculativeTask(ctx: Ctx, run: WorkflowRun): void {
  scheduleWorkflowTask(ctx, run, 1, { speculative: true });
  armSpeculativeScheduleToStart(ctx, run);
}

/**
 * A speculative task no worker starts within 5 s (its sticky queue's schedule-to-start timeout when the run is
 * sticky) times out: WorkflowTaskScheduled + WorkflowTaskTimedOut (schedule-to-start) are written and a normal task
 * takes over, with the updates still waiting for it.
 */
export function armSpeculativeScheduleToStart(ctx: Ctx, run: WorkflowRun): void {
  const timeoutMs = stickyQueueOf(run)?.scheduleToStartMs ?? SCHEDULE_TO_START_MS;
  armScheduleToStartTimeout(ctx, run, run.wft.scheduledTime + timeoutMs);
}

/**
 * True when the started speculative task can be discarded (`skipWorkflowTaskCompletedEvent` on the real server): no
 * commands, no heartbeat, nothing arrived meanwhile, few events shipped again, and only rejection messages.
 */
export function discardsSpeculativeTask(
  run: WorkflowRun,
  req: temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest,
  isRejection: (msg: temporal.api.protocol.v1.IMessage) => boolean,
): boolean {
  if (!run.wft.speculative || run.wft.state !== 'started') return false;
  if ((req.commands ?? []).length > 0 || req.forceCreateNewWorkflowTask) return false;
  // An event that arrived while the task ran turned it into a normal task on the real server.
  if (run.buffered.length > 0) return false;
  // Events after the last completed task were shipped again; a worker must say it copes with that (core does).
  const shippedAgain = run.history.length + 1 - (run.lastCompletedStartedEventId + 2);
  const withEvents = req.capabilities?.discardSpeculativeWorkflowTaskWithEvents === true;
  if (shippedAgain > (withEvents ? DISCARD_MAX_EVENTS : 0)) return false;
  return (req.messages ?? []).every(isRejection);
}
