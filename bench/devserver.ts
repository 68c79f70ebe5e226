// Devserver throughput and latency: workflows (start → one activity → result) per second and p50/p99
// start-to-result latency at 1, 10 and 100 concurrent workflows, all against one in-process devserver.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer } from '../devserver/server';
import { startBenchWorker } from './bench-worker';
import { quietSdkRuntime } from './devserver-growth';

const here = path.dirname(fileURLToPath(import.meta.url));
const LEVELS = [
  { concurrency: 1, workflows: 40 },
  { concurrency: 10, workflows: 200 },
  { concurrency: 100, workflows: 600 },
];

interface Row {
  concurrency: number;
  workflows: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function runLevel(client: Client, taskQueue: string, concurrency: number, total: number): Promise<Row> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < total) {
      next++;
      const t0 = performance.now();
      await client.workflow.execute('benchWorkflow', { taskQueue, workflowId: `bench-${randomUUID()}`, args: ['x'] });
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    workflows: total,
    perSecond: total / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Runs the devserver bench and prints its table. */
export async function benchDevserver(): Promise<void> {
  quietSdkRuntime();
  const server = await startDevServer({ port: 0 });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const silent = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: path.join(here, 'devserver-workflows.ts'),
    logger: silent,
  });
  const { taskQueue, stop } = await startBenchWorker(server.address, workflowBundle);
  try {
    await runLevel(client, taskQueue, 10, 50); // warm-up: JIT, workflow isolate, connections
    const rows: Row[] = [];
    for (const level of LEVELS) rows.push(await runLevel(client, taskQueue, level.concurrency, level.workflows));
    const base = rows[0]!.perSecond;
    console.log('\nDevserver: start → one activity → result (in-process devserver, one worker)');
    console.log('concurrency | workflows | workflows/s | vs c=1 | p50 ms | p99 ms');
    for (const r of rows) {
      console.log(
        `${String(r.concurrency).padStart(11)} | ${String(r.workflows).padStart(9)} | ${r.perSecond.toFixed(1).padStart(11)} | ${(r.perSecond / base).toFixed(1).padStart(5)}x | ${r.p50.toFixed(1).padStart(6)} | ${r.p99.toFixed(1).padStart(6)}`,
      );
    }
  } finally {
    await stop();
    await connection.close();
    await server.stop();
  }
}
