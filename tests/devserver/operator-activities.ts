// Activities for the operator, reset and activity pause suites.
import { ApplicationFailure, CancelledFailure, Context, cancellationDetails, sleep } from '@temporalio/activity';
import type { ActivityCancellationDetails } from '@temporalio/common';

/** How the pausable activity reacts to the cancellation a pause or reset delivers. */
export interface PauseScenario {
  /** Key the test waits on: the activity adds it to `running` once it heartbeats. */
  key: string;
  /** Rethrow the cancellation so the attempt fails and is retried (after an unpause, if paused). */
  retry?: boolean;
  /** Return at once instead of heartbeating. */
  immediate?: boolean;
  /** Run the activity on this task queue instead of the workflow's. */
  activityQueue?: string;
  /**
   * Send no heartbeat until the test releases the key (`released`), so the pause and reset requests the test makes
   * before that reach the attempt in one heartbeat answer, however slow the machine.
   */
  held?: boolean;
}

/** What the activities observed, for the test to wait on. */
export interface OperatorProbe {
  running: Map<string, number>;
  /** Keys of held scenarios the test let go on heartbeating. */
  released: Set<string>;
}

/** Builds the activities around a probe. */
export function createOperatorActivities(probe: OperatorProbe) {
  return {
    /** Returns `label` with a fresh id (its result lands in history, so a reset run reuses it). */
    async note(label: string): Promise<string> {
      return `${label} ${Math.random().toString(36).slice(2)}`;
    },
    /**
     * Heartbeats until cancelled; on the first attempt returns the cancellation details (or rethrows with `retry`),
     * on a later attempt returns 'attempt N'.
     */
    async pausable(scenario: PauseScenario): Promise<ActivityCancellationDetails | string | undefined> {
      const { attempt } = Context.current().info;
      probe.running.set(scenario.key, attempt);
      if (attempt > 1 || scenario.immediate) return `attempt ${attempt}`;
      while (scenario.held && !probe.released.has(scenario.key)) await new Promise((r) => setTimeout(r, 50));
      try {
        for (;;) {
          Context.current().heartbeat();
          await sleep(100);
        }
      } catch (err) {
        if (!(err instanceof CancelledFailure)) throw ApplicationFailure.nonRetryable('unexpected failure', 'Error');
        if (scenario.retry) throw err;
        return cancellationDetails();
      }
    },
  };
}

/** The activity interface the workflows proxy. */
export type OperatorActivities = ReturnType<typeof createOperatorActivities>;
