// The worker the devserver benches run: `benchWorkflow` (bench/devserver-workflows.ts) with its one `echo`
// activity, on a fresh task queue, connected as Kiln's worker connects (no gzip to a frontend on this machine).
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker, type NativeConnectionOptions } from '@temporalio/worker';
import { workerConnectionOptions } from '../worker/temporal-connection';

/** A running bench worker: the task queue to start workflows on, and how to stop it and close its connection. */
export interface BenchWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

/** Starts a bench worker against `address`; `grpcCompression` overrides Kiln's choice (the compression bench). */
export async function startBenchWorker(
  address: string,
  workflowBundle: Worker['options']['workflowBundle'],
  grpcCompression?: NativeConnectionOptions['grpcCompression'],
): Promise<BenchWorker> {
  const options = workerConnectionOptions({ address });
  const connection = await NativeConnection.connect(grpcCompression ? { ...options, grpcCompression } : options);
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle,
    activities: { echo: async (value: string) => value },
  });
  const running = worker.run();
  return {
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
