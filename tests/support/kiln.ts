// Starts a whole Kiln (devserver or TEMPORAL_ADDRESS, API, worker) on a fresh PostgreSQL database, for end-to-end tests.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { expect } from 'vitest';
import { serverEnvSchema } from '../../server/env';
import { createLogger } from '../../server/logger';
import { startKiln } from '../../server/start';
import type { JsonBody } from './api-client';
import { createTestDatabase } from './database';

export interface TestKiln {
  url: string;
  dataDir: string;
  adminToken: string;
  /** The Temporal frontend Kiln uses (its embedded devserver unless TEMPORAL_ADDRESS is set). */
  temporalAddress: string;
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

export async function startTestKiln(overrides: KilnOverrides = {}): Promise<TestKiln> {
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
  const kiln = await startKiln(
    env,
    createLogger(env.LOG_LEVEL, {
      write(line: string) {
        serverLog += line;
        // Warnings and errors stay visible while a test runs; debug output is only kept.
        if (/"level":(40|50|60)/.test(line)) process.stdout.write(line);
      },
    }),
  );
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
    client ??= Connection.connect({ address: kiln.temporalAddress }).then((connection) => ({
      connection,
      client: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }),
    }));
    return (await client).client;
  };

  return {
    url: kiln.url,
    dataDir,
    adminToken,
    temporalAddress: kiln.temporalAddress,
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
      if (client) await (await client).connection.close();
      await kiln.stop();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
