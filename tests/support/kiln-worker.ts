// Kiln's own build-queue worker for API suites: the bundled workflows and the activities worker/ registers, over
// the suite's database, so routes that start a workflow (rollback) run it for real.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import pino from 'pino';
import { createBuildQueueActivities } from '../../worker/activities';
import { bundleKilnWorkflows } from '../../worker/bundle';
import { workerEnvSchema } from '../../worker/env';
import { createKilnWorkers } from '../../worker/worker';
import type { TestApi } from './api-client';
import type { TestTemporal } from './temporal';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Kiln's workflows, bundled once per test process however many workers it starts. */
export function kilnWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleKilnWorkflows();
  return bundle;
}

/** A running build-queue worker; `stop` shuts it down (running activities get a short grace time). */
export interface TestKilnWorker {
  stop(): Promise<void>;
}

/**
 * Starts the build-queue worker exactly as worker/ builds it (createBuildQueueActivities), on `temporal` and the
 * API's database and key. It runs no builder activities: a build workflow it picks up waits at the Build step.
 */
export async function startKilnWorker(temporal: TestTemporal, api: TestApi): Promise<TestKilnWorker> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kiln-worker-'));
  const env = workerEnvSchema.parse({ KILN_DATA_DIR: dataDir, TEMPORAL_NAMESPACE: temporal.namespace });
  const deps = {
    db: api.db,
    cipher: api.cipher,
    temporal: temporal.client,
    logger: pino({ level: 'silent' }),
    env,
    publicUrl: 'https://kiln.example.com',
  };
  const workers = await createKilnWorkers({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    workflowBundle: await kilnWorkflowBundle(),
    activities: createBuildQueueActivities(deps),
    builderActivities: {},
    maxConcurrentBuilds: 1,
    shutdownGraceTime: '1 second',
  });
  const running = workers.run();
  return {
    async stop() {
      await workers.shutdown();
      await running;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
