// Shared setup for the conformance suite: one Temporal endpoint, one bundle and one running worker per test file.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { IndexedValueType } from '../../devserver/codes';
import { replayWorkflow, startTestTemporal, type TestTemporal } from '../support/temporal';
import { createConformanceActivities, type ActivityProbe } from './activities';
import { historyShapeProblems } from './history-shape';

const here = path.dirname(fileURLToPath(import.meta.url));
let bundlePromise: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The conformance workflows, bundled once per process. */
export function conformanceBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundlePromise ??= bundleWorkflowCode({ workflowsPath: path.join(here, 'workflows.ts'), logger: quietLogger });
  return bundlePromise;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };

/** The custom search attributes the conformance workflows set; a namespace must know them, as on a real cluster. */
export const CONFORMANCE_SEARCH_ATTRIBUTES = {
  KilnServiceId: IndexedValueType.KEYWORD,
  KilnBuildId: IndexedValueType.KEYWORD,
};

/** A running worker plus what its activities observed. */
export interface Harness {
  temporal: TestTemporal;
  taskQueue: string;
  probe: ActivityProbe;
  /** Starts another worker on the suite's task queue, or on `taskQueue` (e.g. after shutting one down). */
  startWorker(taskQueue?: string): Promise<{ worker: Worker; done: Promise<void> }>;
  /** Shuts every running worker down and waits for them. */
  stopWorker(): Promise<void>;
  /** Replays a workflow's history with the suite's bundle and checks its shape; throws on any problem. */
  replay(workflowId: string, runId?: string): Promise<void>;
  id(prefix: string): string;
  close(): Promise<void>;
}

/** Starts Temporal (devserver or TEMPORAL_ADDRESS) and a worker for the conformance workflows. */
export async function startHarness(
  temporal?: TestTemporal,
  taskQueue = `conformance-${randomUUID()}`,
): Promise<Harness> {
  const t = temporal ?? (await startTestTemporal());
  await t.connection.operatorService.addSearchAttributes({
    namespace: t.namespace,
    searchAttributes: CONFORMANCE_SEARCH_ATTRIBUTES,
  });
  const probe: ActivityProbe = { attempts: new Map(), cancelled: new Set() };
  const workflowBundle = await conformanceBundle();
  let running: { worker: Worker; done: Promise<void> }[] = [];
  const startWorker = async (queue = taskQueue) => {
    const worker = await Worker.create({
      connection: t.nativeConnection,
      namespace: t.namespace,
      taskQueue: queue,
      workflowBundle,
      activities: createConformanceActivities(probe),
      shutdownGraceTime: '1s',
    });
    const entry = { worker, done: worker.run() };
    running.push(entry);
    return entry;
  };
  const stopWorker = async () => {
    const stopping = running;
    running = [];
    for (const { worker } of stopping) if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.all(stopping.map((w) => w.done));
  };
  await startWorker();
  return {
    temporal: t,
    taskQueue,
    probe,
    startWorker,
    stopWorker,
    async replay(workflowId, runId) {
      await replayWorkflow(t.client, { workflowBundle }, workflowId, runId);
      const history = await t.client.workflow.getHandle(workflowId, runId).fetchHistory();
      const problems = historyShapeProblems(history.events ?? []);
      if (problems.length > 0)
        throw new Error(`history of ${workflowId} differs from a real server's:\n${problems.join('\n')}`);
    },
    id: (prefix) => `${prefix}-${randomUUID()}`,
    async close() {
      await stopWorker();
      if (!temporal) await t.stop();
    },
  };
}
