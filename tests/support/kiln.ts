// Starts a whole Kiln (devserver or TEMPORAL_ADDRESS, API, worker) on a fresh PostgreSQL database, for end-to-end tests.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { expect } from 'vitest';
import type { Logger } from 'pino';
import { createApp } from '../../api/app';
import { startEngine } from '../../server/engine';
import { hostPort } from '../../server/listen-address';
import { serverEnvSchema } from '../../server/env';
import type { ServerEnv } from '../../server/env';
import { createLogger } from '../../server/logger';
import { appConfigFrom, openKilnDatabase } from '../../server/setup';
import { engineOptionsFrom, startKiln } from '../../server/start';
import type { RunningKiln } from '../../server/start';
import { temporalConnectionOptions, type TemporalTarget } from '../../worker/temporal-connection';
import type { JsonBody } from './api-client';
import { createTestDatabase } from './database';

export interface TestKiln {
  url: string;
  dataDir: string;
  adminToken: string;
  /** The Temporal frontend Kiln uses (its embedded devserver unless TEMPORAL_ADDRESS is set). */
  temporalAddress: string;
  /** Address, API key and TLS setting Kiln's own clients use for that frontend. */
  temporalTarget: TemporalTarget;
  /** The test database's URL (a fresh database per Kiln). */
  databaseUrl: string;
  /** Everything Kiln's own logger wrote (JSON lines at LOG_LEVEL), to assert that no secret reaches it. */
  serverLog(): string;
  /** A Temporal client on Kiln's namespace, connected on first use and closed by `stop()`. */
  temporal(): Promise<Client>;
  /** Calls the API as the admin; returns status and parsed JSON. */
  api<T = JsonBody>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Sends a webhook delivery exactly as a provider would (raw body, its headers). */
  deliver(
    provider: 'gitlab' | 'github',
    body: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: JsonBody }>;
  /** Polls a build until it reaches one of `statuses`. */
  waitForBuild(buildId: string, statuses?: string[], timeoutMs?: number): Promise<JsonBody>;
  stop(): Promise<void>;
}

/** Environment variables a test sets for Kiln, as strings, exactly as a user would. */
export type KilnOverrides = Record<string, string>;

/** How the worker runs: inside the Kiln process (`npm start`), or as separate processes the test starts and kills. */
export interface TestKilnOptions {
  worker?: 'in-process' | 'separate';
}

/** A Kiln worker running as its own process (`worker/main.ts`). */
export interface WorkerProcess {
  pid: number;
  /** Everything it printed. */
  output(): string;
  /** Resolves once its log says it polls for work. */
  ready: Promise<void>;
  /** SIGKILL: no graceful shutdown, as when a machine dies. */
  kill(): Promise<void>;
}

/** A Kiln whose API runs in this process while workers run as separate processes. */
export interface TestKilnWithWorkers extends TestKiln {
  startWorker(): WorkerProcess;
}

/** Starts Kiln as `npm start` does (API, worker and devserver in this process). */
export async function startTestKiln(overrides?: KilnOverrides): Promise<TestKiln>;
/** Starts the API and devserver in this process; workers are started by the test with `startWorker()`. */
export async function startTestKiln(
  overrides: KilnOverrides,
  options: { worker: 'separate' },
): Promise<TestKilnWithWorkers>;
export async function startTestKiln(
  overrides: KilnOverrides = {},
  options: TestKilnOptions = {},
): Promise<TestKiln | TestKilnWithWorkers> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kiln-data-'));
  const env = serverEnvSchema.parse({
    PORT: '0',
    HOST: '127.0.0.1',
    KILN_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE,
    KILN_DEVSERVER_PORT: '0',
    LOG_LEVEL: 'warn',
    ...overrides,
  });
  let serverLog = '';
  const logger = createLogger(env.LOG_LEVEL, {
    write(line: string) {
      serverLog += line;
      // Errors stay visible while a test runs; warnings (e.g. commit statuses a test git server cannot take)
      // and debug output are only kept, for the tests that read them.
      if (/"level":(50|60)/.test(line)) process.stdout.write(line);
    },
  });
  const kiln = options.worker === 'separate' ? await startApiOnly(env, logger) : await startKiln(env, logger);
  const adminToken = (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();

  const api: TestKiln['api'] = async (method, route, body) => {
    const response = await fetch(`${kiln.url}/api/v1${route}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  let client: Promise<{ connection: Connection; client: Client }> | undefined;
  const temporal = async () => {
    client ??= Connection.connect(temporalConnectionOptions(kiln.temporalTarget)).then((connection) => ({
      connection,
      client: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }),
    }));
    return (await client).client;
  };

  const workers: WorkerProcess[] = [];
  const startWorker = () => {
    const worker = spawnWorker({
      TEMPORAL_ADDRESS: kiln.temporalAddress,
      TEMPORAL_API_KEY: kiln.temporalTarget.apiKey,
      TEMPORAL_TLS: kiln.temporalTarget.tls === undefined ? undefined : String(kiln.temporalTarget.tls),
      TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
      DATABASE_URL: database.url,
      KILN_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...overrides,
    });
    workers.push(worker);
    return worker;
  };

  return {
    startWorker,
    url: kiln.url,
    dataDir,
    adminToken,
    temporalAddress: kiln.temporalAddress,
    temporalTarget: kiln.temporalTarget,
    databaseUrl: database.url,
    temporal,
    serverLog: () => serverLog,
    api,
    async deliver(provider, body, headers) {
      const response = await fetch(`${kiln.url}/api/v1/webhook/${provider}`, { method: 'POST', headers, body });
      return { status: response.status, body: await response.json() };
    },
    async waitForBuild(buildId, statuses = ['Succeeded', 'Failed', 'Cancelled'], timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await api('GET', `/builds/${buildId}`);
        if (statuses.includes(body.status)) return body;
        if (Date.now() > deadline)
          expect.fail(`build ${buildId} still ${body.status} (${body.currentStep}) after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async stop() {
      for (const worker of workers) await worker.kill();
      if (client) await (await client).connection.close();
      await kiln.stop();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The API (and the embedded devserver, unless TEMPORAL_ADDRESS is set) without any worker. */
async function startApiOnly(env: ServerEnv, logger: Logger): Promise<RunningKiln> {
  const stack: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const close of stack.reverse()) await close();
  };
  const engine = await startEngine(engineOptionsFrom(env));
  stack.push(() => engine.stop());
  const { database, cipher } = await openKilnDatabase(env, logger);
  stack.push(() => database.close());
  const connection = await Connection.connect(temporalConnectionOptions(engine));
  stack.push(() => connection.close());
  const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const app = createApp({ db: database.db, temporal, cipher, logger, config: appConfigFrom(env) });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  stack.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const bound = server.address() as AddressInfo;
  const temporalTarget = { address: engine.address, apiKey: engine.apiKey, tls: engine.tls };
  const url = `http://${hostPort(bound)}`;
  return { url, listen: hostPort(bound), temporalAddress: engine.address, temporalTarget, stop };
}

const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Runs `worker/main.ts` in its own process with exactly the environment an operator would give it. */
function spawnWorker(env: Record<string, string | undefined>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
  ready.catch(() => undefined);
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('Kiln worker running')) markReady();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    output: () => output,
    ready,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
