import type { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { LogSink } from '../build-log/log-sink';
import type { LogStream } from '../domain/log-stream';
import { builderProgressSignal, type BuilderProgress } from '../workflows/messages';
import { stepStartPercent } from '../workflows/progress';

/**
 * Signals builder progress to the build's workflow, at most once a second: the workflow alone writes progress to
 * the database (and to a monorepo parent), so there is one channel.
 */
export function progressReporter(temporal: Client, ctx: Context) {
  const execution = ctx.info.workflowExecution;
  const handle = execution && temporal.workflow.getHandle(execution.workflowId, execution.runId);
  let pending: Promise<unknown> = Promise.resolve();
  let last: BuilderProgress = { step: 'Build', percent: stepStartPercent.Build };
  let lastSentAt = 0;
  return {
    report(next: BuilderProgress): void {
      const stepChanged = next.step !== last.step;
      if (next.percent <= last.percent && !stepChanged) return;
      last = next;
      if (!stepChanged && Date.now() - lastSentAt < 1000) return;
      lastSentAt = Date.now();
      const update = { ...next };
      pending = pending.then(() => handle?.signal(builderProgressSignal, update).catch(() => undefined));
    },
    settle: () => pending,
  };
}

// buildah prints `STEP 3/7: RUN …`; BuildKit prints `#8 [3/7] RUN …`.
const stepPattern = /^(?:STEP (\d+)\/(\d+)|#\d+ \[(?:[\w.-]+ )?(\d+)\/(\d+)\])/;

/** Passes every line through, turning Dockerfile step counters into progress between Build and Push. */
export function trackSteps(log: LogSink, report: (progress: BuilderProgress) => void): LogSink {
  const span = stepStartPercent.Push - stepStartPercent.Build;
  return {
    write(stream: LogStream, line: string) {
      log.write(stream, line);
      const match = stepPattern.exec(line);
      if (!match) return;
      const done = Number(match[1] ?? match[3]);
      const total = Number(match[2] ?? match[4]);
      if (total > 0 && done <= total) {
        report({ step: 'Build', percent: stepStartPercent.Build + Math.floor((span * (done - 1)) / total) });
      }
    },
    flush: () => log.flush(),
  };
}
