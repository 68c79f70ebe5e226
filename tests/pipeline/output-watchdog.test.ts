import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { LogSink } from '../../build-log/log-sink';
import { startOutputWatchdog } from '../../build-log/output-watchdog';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recordingSink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (_stream, line) => void lines.push(line), flush: async () => undefined };
}

describe('the builder output watchdog (KILN_BUILD_IDLE_TIMEOUT_SECONDS, for every driver)', () => {
  it('stops a build whose builder went quiet, with the "Build stalled" failure', async () => {
    const watchdog = startOutputWatchdog(new AbortController().signal, 150);
    const sink = recordingSink();
    const log = watchdog.watch(sink);
    log.write('stdout', 'STEP 1/2: FROM busybox');
    for (let i = 0; i < 4; i++) {
      await sleep(75);
      log.write('stderr', `still working ${i}`);
    }
    expect(watchdog.signal.aborted).toBe(false);
    await sleep(300);
    expect(watchdog.signal.aborted).toBe(true);
    const reason = watchdog.signal.reason as ApplicationFailure;
    expect(reason).toBeInstanceOf(ApplicationFailure);
    expect(reason.type).toBe('BuildNoOutput');
    expect(reason.nonRetryable).toBe(true);
    expect(reason.message).toMatch(/^Build stalled: the builder printed nothing for 150 ms/);
    expect(sink.lines).toHaveLength(5);
    watchdog.dispose();
  });

  it("does not count Kiln's own lines or the wait before the builder's first line as silence", async () => {
    const watchdog = startOutputWatchdog(new AbortController().signal, 100);
    watchdog.watch(recordingSink()).write('system', 'Build pod created, waiting to be scheduled');
    await sleep(250);
    expect(watchdog.signal.aborted).toBe(false);
    watchdog.dispose();
  });

  it("passes the user's cancel through with Temporal's reason", async () => {
    const cancel = new AbortController();
    const watchdog = startOutputWatchdog(cancel.signal, 10_000);
    const reason = new Error('cancelled by Temporal');
    cancel.abort(reason);
    expect(watchdog.signal.aborted).toBe(true);
    expect(watchdog.signal.reason).toBe(reason);
    watchdog.dispose();
  });
});
