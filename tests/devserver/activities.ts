// Conformance-suite activities: small, observable behaviours (attempt counting, heartbeats, cancellation).
import { ApplicationFailure, CancelledFailure, CompleteAsyncError, Context, sleep } from '@temporalio/activity';

/** What the activities observed, for assertions from the test. */
export interface ActivityProbe {
  attempts: Map<string, number>;
  cancelled: Set<string>;
}

/** Builds the activities around a probe the test inspects. */
export function createConformanceActivities(probe: ActivityProbe) {
  const count = (key: string) => {
    const n = (probe.attempts.get(key) ?? 0) + 1;
    probe.attempts.set(key, n);
    return n;
  };
  return {
    /** Returns a greeting. */
    async greet(name: string): Promise<string> {
      return `Hello, ${name}!`;
    },
    /** Fails with a retryable error until attempt `succeedOn`. */
    async flaky(key: string, succeedOn: number): Promise<number> {
      count(key);
      const { attempt } = Context.current().info;
      if (attempt < succeedOn) throw ApplicationFailure.retryable(`attempt ${attempt} failed`, 'Flaky');
      return attempt;
    },
    /** Always fails with a non-retryable ApplicationFailure. */
    async reject(key: string): Promise<never> {
      count(key);
      throw ApplicationFailure.nonRetryable('input is invalid: fix it and retry', 'BadInput', { field: 'name' });
    },
    /** Heartbeats until cancelled; records the cancellation and lets CancelledFailure propagate. */
    async heartbeatUntilCancelled(key: string): Promise<string> {
      count(key);
      try {
        for (;;) {
          Context.current().heartbeat({ at: Date.now() });
          await sleep(100);
        }
      } catch (err) {
        if (err instanceof CancelledFailure) probe.cancelled.add(key);
        throw err;
      }
    },
    /** Heartbeats progress, fails once, and on the retry resumes from the last heartbeat it recorded. */
    async resumeFromHeartbeat(key: string): Promise<string> {
      count(key);
      const { attempt, heartbeatDetails } = Context.current().info;
      if (attempt === 1) {
        Context.current().heartbeat({ step: 'cloned' });
        await sleep(50);
        throw ApplicationFailure.retryable('network blip', 'Flaky');
      }
      return `resumed after ${(heartbeatDetails as { step?: string } | undefined)?.step ?? 'nothing'}`;
    },
    /** Leaves completion to the client (async completion by workflow id + activity id). */
    async completeLater(key: string): Promise<string> {
      count(key);
      throw new CompleteAsyncError();
    },
    /** Sleeps `ms` without heartbeating (used to trip start-to-close and heartbeat timeouts). */
    async sleepFor(key: string, ms: number): Promise<string> {
      count(key);
      await sleep(ms).catch(() => undefined);
      return 'slept';
    },
  };
}

/** The activity interface the test workflows proxy. */
export type ConformanceActivities = ReturnType<typeof createConformanceActivities>;
