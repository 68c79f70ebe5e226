import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { createApp } from '../api/app';
import { protectDataDir } from '../worker/data-dir';
import { temporalConnectionOptions, workerConnectionOptions, type TemporalTarget } from '../worker/temporal-connection';
import type { ActivityDeps } from '../worker/activities';
import { startKilnWorkers } from '../worker/worker';
import { startEngine, type Engine } from './engine';
import type { ServerEnv } from './env';
import { hostPort } from './listen-address';
import { createLogger, installTemporalLogging } from './logger';
import { startBuildReconciler } from './reconcile-builds';
import { appConfigFrom, openKilnDatabase } from './setup';
import { staticUi } from './static-ui';

/** A running Kiln: API + UI, worker, and (in embedded mode) the devserver. */
export interface RunningKiln {
  url: string;
  /** The address the API really listens on (`0.0.0.0:8080` when HOST opens it to the network). */
  listen: string;
  temporalAddress: string;
  /** How Kiln's own clients connect to the engine (its address, API key and TLS setting). */
  temporalTarget: TemporalTarget;
  /** The admin token, only when this start created the admin in an in-memory database (tests). */
  adminToken?: string;
  stop(): Promise<void>;
}

/** What to close on shutdown, in reverse order of starting. */
type ShutdownStack = Array<() => Promise<void>>;

/** Starts every part of Kiln in this process and returns once the API answers. */
export async function startKiln(env: ServerEnv, logger: Logger = createLogger(env.LOG_LEVEL)): Promise<RunningKiln> {
  installTemporalLogging(logger);
  const stack: ShutdownStack = [];
  const stop = async () => {
    for (const close of stack.reverse()) await close().catch((err) => logger.error({ err }, 'shutdown step failed'));
  };
  try {
    await protectDataDir(env.KILN_DATA_DIR);
    const engine = await startEngine(engineOptionsFrom(env));
    stack.push(() => engine.stop());
    logger.info({ address: engine.address, embedded: engine.embedded }, 'Temporal engine ready');

    const { database, cipher, bootstrap } = await openKilnDatabase(env, logger);
    stack.push(() => database.close());

    const connection = await Connection.connect(temporalConnectionOptions(engine));
    stack.push(() => connection.close());
    const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
    const deps = { db: database.db, cipher, temporal, logger, env };
    await startBackgroundWork(stack, engine, deps);

    const api = createApp({ db: database.db, temporal, cipher, logger, config: appConfigFrom(env) });
    const bound = await serveHttp(stack, new Hono().route('/', api).route('/', staticUi()), env, logger);
    return {
      url: `http://${hostPort(bound, true)}`,
      listen: hostPort(bound),
      temporalAddress: engine.address,
      temporalTarget: { address: engine.address, apiKey: engine.apiKey, tls: engine.tls },
      adminToken: bootstrap.adminToken,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The workers (on their own native connection) and the build reconciler. */
async function startBackgroundWork(
  stack: ShutdownStack,
  engine: Engine,
  deps: Omit<ActivityDeps, 'publicUrl' | 'env'> & { env: ServerEnv },
): Promise<void> {
  const { env, logger } = deps;
  const nativeConnection = await NativeConnection.connect(workerConnectionOptions(engine));
  stack.push(() => nativeConnection.close());
  const workers = await startKilnWorkers(nativeConnection, { ...deps, publicUrl: appConfigFrom(env).publicUrl });
  const running = workers.run().catch((err) => logger.fatal({ err }, 'Kiln worker stopped unexpectedly'));
  stack.push(async () => {
    await workers.shutdown();
    await running;
  });
  const reconciler = startBuildReconciler({
    db: deps.db,
    temporal: deps.temporal,
    logger,
    intervalSeconds: env.KILN_RECONCILE_INTERVAL_SECONDS,
  });
  stack.push(() => reconciler.stop());
}

/** Serves the API and UI on HOST:PORT and logs the address really bound. */
async function serveHttp(stack: ShutdownStack, http: Hono, env: ServerEnv, logger: Logger): Promise<AddressInfo> {
  const server = await listen(http, env.HOST, env.PORT);
  stack.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const bound = server.address() as AddressInfo;
  logger.info({ address: bound.address, port: bound.port }, `Kiln API listening on ${hostPort(bound)}`);
  return bound;
}

/** "Kiln is running at <url> — admin token in <path>", the plain line `npm start` prints. */
export function startLine(url: string, tokenFile: string | undefined): string {
  if (tokenFile && existsSync(tokenFile)) return `Kiln is running at ${url} — admin token in ${tokenFile}`;
  return `Kiln is running at ${url} — sign in with an API token of a Kiln user`;
}

/** The engine settings of `npm start`'s environment. */
export function engineOptionsFrom(env: ServerEnv) {
  return {
    temporalAddress: env.TEMPORAL_ADDRESS,
    temporalApiKey: env.TEMPORAL_API_KEY,
    temporalTls: env.TEMPORAL_TLS,
    dataDir: env.KILN_DATA_DIR,
    devserverPort: env.KILN_DEVSERVER_PORT,
  };
}

function listen(app: Hono, hostname: string, port: number): Promise<ReturnType<typeof serve>> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port }, () => resolve(server));
    server.once('error', reject);
  });
}
