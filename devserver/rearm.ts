// After loading a snapshot: put scheduled tasks back on their (in-memory) queues and re-arm every deadline.
import { armActivity } from './activity-outcomes';
import { armRunTimeout } from './closing';
import { armTimer } from './timers';
import { queueKey, type Ctx } from './context';
import { armFirstTask } from './runs';
import { armSpeculativeScheduleToStart } from './speculative';
import { isClosed, type WorkflowRun } from './state';
import { armWorkflowTaskTimeout } from './workflow-tasks';

function rearmRun(ctx: Ctx, run: WorkflowRun): void {
  armRunTimeout(ctx, run);
  if (run.firstTaskAt > 0) armFirstTask(ctx, run);
  for (const timer of run.timers.values()) armTimer(ctx, run, timer);
  for (const act of run.activities.values()) {
    armActivity(ctx, run, act);
    if (act.state === 'scheduled') {
      ctx.activityQueues.add(queueKey(run.namespace, act.taskQueue), {
        runId: run.runId,
        scheduledEventId: act.scheduledEventId,
        attempt: act.attempt,
      });
    }
  }
  if (run.wft.state === 'scheduled') {
    ctx.workflowQueues.add(queueKey(run.namespace, run.taskQueue), {
      kind: 'workflow',
      runId: run.runId,
      nonce: run.wft.nonce,
    });
    if (run.wft.speculative) armSpeculativeScheduleToStart(ctx, run);
  } else if (run.wft.state === 'started') {
    // The worker that held it may still answer; otherwise the task times out and is retried.
    armWorkflowTaskTimeout(ctx, run);
  }
}

/** Re-arms every open run of a freshly loaded state. */
export function rearmAll(ctx: Ctx): void {
  for (const run of ctx.state.runs.values()) if (!isClosed(run)) rearmRun(ctx, run);
}
