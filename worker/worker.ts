import { Worker } from '@temporalio/worker';
import type { NativeConnection, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { BUILDER_TASK_QUEUE, BUILD_TASK_QUEUE } from '../workflows/names';
import { createBuilderQueueActivities, createBuildQueueActivities } from './activities';
import type { ActivityDeps } from './activities';
import { bundleKilnWorkflows } from './bundle';

/** What the two Kiln workers need; activities come from the factories in `activities/`. */
export interface KilnWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  workflowBundle: WorkflowBundleWithSourceMap;
  /** Workflow bookkeeping activities: status, logs, clone, detect, deploy. */
  activities: object;
  /** The long builder activities, limited to `maxConcurrentBuilds` at once. */
  builderActivities: object;
  maxConcurrentBuilds: number;
  /** Time running activities get to finish on shutdown before they are cancelled. */
  shutdownGraceTime?: string;
}

/** The running workers of one process. */
export interface KilnWorkers {
  /** Resolves when both workers have stopped. */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Creates the build worker (workflows + bookkeeping activities) and the builder worker (one activity per build
 * slot). Builds beyond the limit wait on the builder queue, where schedule-to-start timeouts catch stuck builds.
 */
export async function createKilnWorkers(options: KilnWorkerOptions): Promise<KilnWorkers> {
  const common = { connection: options.connection, namespace: options.namespace };
  const grace = options.shutdownGraceTime ?? '10 seconds';
  const buildWorker = await Worker.create({
    ...common,
    taskQueue: BUILD_TASK_QUEUE,
    workflowBundle: options.workflowBundle,
    activities: options.activities,
    shutdownGraceTime: grace,
  });
  const workers = [buildWorker];
  if (Object.keys(options.builderActivities).length > 0) {
    const builderWorker = await Worker.create({
      ...common,
      taskQueue: BUILDER_TASK_QUEUE,
      activities: options.builderActivities,
      maxConcurrentActivityTaskExecutions: options.maxConcurrentBuilds,
      shutdownGraceTime: grace,
    });
    workers.push(builderWorker);
  }
  let running: Promise<void> | undefined;
  return {
    run() {
      running ??= Promise.all(workers.map((worker) => worker.run())).then(() => undefined);
      return running;
    },
    async shutdown() {
      for (const worker of workers) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
      }
      await running;
    },
  };
}

/** Kiln's workers with every activity built from `deps` and the bundled workflows: what each process runs. */
export async function startKilnWorkers(connection: NativeConnection, deps: ActivityDeps): Promise<KilnWorkers> {
  return createKilnWorkers({
    connection,
    namespace: deps.env.TEMPORAL_NAMESPACE,
    workflowBundle: await bundleKilnWorkflows(),
    activities: createBuildQueueActivities(deps),
    builderActivities: createBuilderQueueActivities(deps),
    maxConcurrentBuilds: deps.env.KILN_MAX_CONCURRENT_BUILDS,
  });
}
