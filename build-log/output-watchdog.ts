import type { LogSink } from './log-sink';
import { BuildErrorType, buildFailure } from '../domain/build-error';

/** A build's stop signal: the user's cancel, or silence from the builder for longer than the idle limit. */
export interface OutputWatchdog {
  /** Aborted on cancel (with Temporal's reason) or on silence (with a BuildNoOutput failure). */
  signal: AbortSignal;
  /** `log`, with every line counted as a sign of life. */
  watch(log: LogSink): LogSink;
  dispose(): void;
}

/**
 * Stops a build whose builder printed nothing for `idleTimeoutMs`, whatever the driver: the local driver also limits
 * each buildah run, but BuildKit pods only report through their log, so the rule lives here once for both. The clock
 * starts with the builder's first line: waiting for a pod to be scheduled is the driver's pending limit, not silence.
 */
export function startOutputWatchdog(cancel: AbortSignal, idleTimeoutMs: number): OutputWatchdog {
  const controller = new AbortController();
  const onCancel = () => controller.abort(cancel.reason);
  if (cancel.aborted) onCancel();
  else cancel.addEventListener('abort', onCancel, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(silence(idleTimeoutMs)), idleTimeoutMs);
  };
  return {
    signal: controller.signal,
    watch: (log) => ({
      write(stream, line) {
        if (stream !== 'system') arm();
        log.write(stream, line);
      },
      flush: () => log.flush(),
    }),
    dispose() {
      clearTimeout(timer);
      cancel.removeEventListener('abort', onCancel);
    },
  };
}

function silence(idleTimeoutMs: number) {
  const seconds = Math.round(idleTimeoutMs / 1000);
  const limit =
    idleTimeoutMs < 1000 ? `${idleTimeoutMs} ms` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
  return buildFailure(
    BuildErrorType.BuildNoOutput,
    `Build stalled: the builder printed nothing for ${limit} and was stopped. Check the Dockerfile for a step waiting on input or the network, then retry.`,
  );
}
