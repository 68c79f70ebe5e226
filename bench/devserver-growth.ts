// Devserver under growing history: 100 concurrent workflows (start → one activity → result) against a devserver
// in its own process, in memory and with --db-filename, reporting throughput and the devserver's resident memory
// for the first 1000 closed runs, after 12 000 and after 50 000; then how fast the database restarts after kill -9.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { spawnDevServer, type DevServerProcess } from '../tests/devserver/crash-process';
import { startBenchWorker } from './bench-worker';
import { benchWorkerCompression } from './devserver-compression';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONCURRENCY = 100;
const WINDOW = 1000;
const TOTAL = Number(process.env.KILN_BENCH_DEVSERVER_RUNS || 50_000);
const MILESTONES = [WINDOW, 12_000, 50_000].filter((m) => m <= TOTAL);

interface Sample {
  closed: number;
  perSecond: number;
  rssMb: number;
}

/** SDK logs at WARN only, so the tables stay readable; a no-op once the runtime exists. */
export function quietSdkRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier bench in this process.
  }
}

async function residentMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function grow(server: DevServerProcess, bundle: Worker['options']['workflowBundle']): Promise<Sample[]> {
  const { taskQueue, stop } = await startBenchWorker(server.address, bundle);
  const client = new Client({ connection: server.connection });
  const samples: Sample[] = [];
  let next = 0;
  let closed = 0;
  let windowStart = performance.now();
  const lane = async () => {
    while (next < TOTAL) {
      next++;
      await client.workflow.execute('benchWorkflow', { taskQueue, workflowId: `growth-${randomUUID()}`, args: ['x'] });
      if (++closed % WINDOW !== 0) continue;
      const now = performance.now();
      const perSecond = WINDOW / ((now - windowStart) / 1000);
      windowStart = now;
      if (MILESTONES.includes(closed)) samples.push({ closed, perSecond, rssMb: await residentMb(server.child.pid!) });
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  } finally {
    await stop();
  }
  return samples;
}

/** Kill -9 with every run closed, then the time until the restarted server answers for an old run. */
async function restartAfterCrash(server: DevServerProcess, dbFilename: string): Promise<number> {
  const probe = (await server.connection.workflowService.listWorkflowExecutions({ namespace: 'default', pageSize: 1 }))
    .executions?.[0]?.execution;
  await server.crash();
  const started = performance.now();
  const again = await spawnDevServer(dbFilename);
  try {
    await again.connection.workflowService.describeWorkflowExecution({ namespace: 'default', execution: probe });
    return performance.now() - started;
  } finally {
    await again.stop();
  }
}

/** Runs both growth series and prints them side by side. */
export async function benchDevserverGrowth(): Promise<void> {
  quietSdkRuntime();
  const silent = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(here, 'devserver-workflows.ts'), logger: silent });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-bench-growth-'));
  const dbFilename = path.join(dir, 'devserver.db');
  try {
    const memory = await spawnDevServer();
    const inMemory = await grow(memory, bundle).finally(() => memory.stop());
    const persisted = await spawnDevServer(dbFilename);
    const onDisk = await grow(persisted, bundle);
    const restartMs = await restartAfterCrash(persisted, dbFilename);
    console.log(`\nDevserver in its own process, ${CONCURRENCY} concurrent workflows, ${TOTAL} in all (one worker)`);
    console.log('closed runs | in memory: workflows/s | RSS MB | --db-filename: workflows/s | RSS MB');
    inMemory.forEach((m, i) => {
      const d = onDisk[i]!;
      const cells = [m.perSecond.toFixed(0), m.rssMb.toFixed(0), d.perSecond.toFixed(0), d.rssMb.toFixed(0)];
      console.log(
        `${String(m.closed).padStart(11)} | ${cells[0]!.padStart(22)} | ${cells[1]!.padStart(6)} | ${cells[2]!.padStart(26)} | ${cells[3]!.padStart(6)}`,
      );
    });
    const first = onDisk[0]!;
    const last = onDisk[onDisk.length - 1]!;
    console.log(
      `--db-filename: last ÷ first throughput ${(last.perSecond / first.perSecond).toFixed(2)} (goal ≥ 0.8), ` +
        `RSS ${first.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB; ` +
        `restart after kill -9 with ${TOTAL} closed runs: ${restartMs.toFixed(0)} ms to answer (goal ≤ 3000)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await benchWorkerCompression(bundle);
}
