// Setup for the operator, reset and activity pause suites: Temporal (devserver or TEMPORAL_ADDRESS), the suites'
// workflow bundle and a worker on a fresh task queue.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { replayWorkflow, startTestTemporal, type TestTemporal } from '../support/temporal';
import { createOperatorActivities, type OperatorProbe } from './operator-activities';

const here = path.dirname(fileURLToPath(import.meta.url));
const quietLogger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };
let bundlePromise: Promise<WorkflowBundleWithSourceMap> | undefined;

/** A running worker for the suites' workflows. */
export interface OperatorHarness {
  temporal: TestTemporal;
  taskQueue: string;
  probe: OperatorProbe;
  /** Starts another worker (shut down by close) on the suite's task queue, or on `taskQueue`. */
  startWorker(taskQueue?: string): Promise<void>;
  /** Waits until `check` holds, polling every 50 ms; throws after `ms`. */
  waitFor(check: () => boolean | Promise<boolean>, ms?: number): Promise<void>;
  /** Replays a run's history with the suites' bundle; throws on nondeterminism. */
  replay(workflowId: string, runId?: string): Promise<void>;
  id(prefix: string): string;
  close(): Promise<void>;
}

/** Starts Temporal (or uses `given`, which close leaves running) and one worker for operator-workflows.ts. */
export async function startOperatorHarness(
  given?: TestTemporal,
  options: { taskQueue?: string; probe?: OperatorProbe } = {},
): Promise<OperatorHarness> {
  const temporal = given ?? (await startTestTemporal());
  const taskQueue = options.taskQueue ?? `operator-${randomUUID()}`;
  const probe: OperatorProbe = options.probe ?? { running: new Map(), released: new Set() };
  bundlePromise ??= bundleWorkflowCode({
    workflowsPath: path.join(here, 'operator-workflows.ts'),
    logger: quietLogger,
  });
  const workflowBundle = await bundlePromise;
  const running: { worker: Worker; done: Promise<void> }[] = [];
  const startWorker = async (queue = taskQueue) => {
    const worker = await Worker.create({
      connection: temporal.nativeConnection,
      namespace: temporal.namespace,
      taskQueue: queue,
      workflowBundle,
      activities: createOperatorActivities(probe),
      shutdownGraceTime: '1s',
    });
    running.push({ worker, done: worker.run() });
  };
  await startWorker();
  return {
    temporal,
    taskQueue,
    probe,
    startWorker,
    async waitFor(check, ms = 10_000) {
      const until = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > until) throw new Error('condition not reached in time');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    replay: (workflowId, runId) => replayWorkflow(temporal.client, { workflowBundle }, workflowId, runId),
    id: (prefix) => `${prefix}-${randomUUID()}`,
    async close() {
      for (const { worker } of running) if (worker.getState() === 'RUNNING') worker.shutdown();
      await Promise.all(running.map((w) => w.done));
      if (!given) await temporal.stop();
    },
  };
}
