// The worker's gRPC compression against a devserver in its own process (with --db-filename): the SDK's default gzip
// versus none, which Kiln's worker uses for a frontend on the same machine. Runs alternate so machine noise hits
// both; reported as throughput and the devserver's CPU time per workflow, each as a ratio against gzip.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { spawnDevServer, type DevServerProcess } from '../tests/devserver/crash-process';
import { startBenchWorker } from './bench-worker';

const CONCURRENCY = 100;
const PER_RUN = 2000;
const ROUNDS = 2;

type Codec = 'gzip' | 'none';

interface Measure {
  perSecond: number;
  cpuMsPerWorkflow: number;
}

/** User + system CPU time of a process so far, in ms (clock ticks are 100 Hz on Linux). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function measure(server: DevServerProcess, bundle: Worker['options']['workflowBundle'], codec: Codec) {
  const { taskQueue, stop } = await startBenchWorker(server.address, bundle, { codec });
  const client = new Client({ connection: server.connection });
  let next = 0;
  const lane = async () => {
    while (next++ < PER_RUN)
      await client.workflow.execute('benchWorkflow', { taskQueue, workflowId: `c-${randomUUID()}`, args: ['x'] });
  };
  try {
    const cpu0 = await cpuMs(server.child.pid!);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = (await cpuMs(server.child.pid!)) - cpu0;
    return { perSecond: PER_RUN / seconds, cpuMsPerWorkflow: cpu / PER_RUN };
  } finally {
    await stop();
  }
}

const mean = (xs: Measure[], key: keyof Measure) => xs.reduce((sum, x) => sum + x[key], 0) / xs.length;

/** Runs the comparison and prints its table. */
export async function benchWorkerCompression(bundle: Worker['options']['workflowBundle']): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-bench-compression-'));
  const server = await spawnDevServer(path.join(dir, 'devserver.db'));
  const results: Record<Codec, Measure[]> = { gzip: [], none: [] };
  try {
    await measure(server, bundle, 'gzip'); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const codec of ['gzip', 'none'] as const) results[codec].push(await measure(server, bundle, codec));
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\nWorker gRPC compression, devserver in its own process with --db-filename, ${CONCURRENCY} concurrent`);
  console.log('codec | workflows/s | vs gzip | devserver CPU ms/workflow | vs gzip');
  const base = { perSecond: mean(results.gzip, 'perSecond'), cpu: mean(results.gzip, 'cpuMsPerWorkflow') };
  for (const codec of ['gzip', 'none'] as const) {
    const perSecond = mean(results[codec], 'perSecond');
    const cpu = mean(results[codec], 'cpuMsPerWorkflow');
    console.log(
      `${codec.padEnd(5)} | ${perSecond.toFixed(0).padStart(11)} | ${(perSecond / base.perSecond).toFixed(2).padStart(6)}x | ${cpu.toFixed(2).padStart(25)} | ${(cpu / base.cpu).toFixed(2).padStart(6)}x`,
    );
  }
}
