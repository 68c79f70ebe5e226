// The devserver with an API key admits only callers that send it; Kiln's embedded engine always has one.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../devserver/api-key';
import { startDevServer, type DevServer } from '../../devserver/server';
import { ENGINE_KEY_FILE, startEngine } from '../../server/engine';
import { temporalConnectionOptions } from '../../worker/temporal-connection';
import { startTestKiln, type TestKiln } from '../support/kiln';

const taskQueue = `api-key-${randomUUID()}`;
let server: DevServer;
let apiKey: string;
let owner: Connection;
let ownerClient: Client;

/** The gRPC status code a call failed with (undefined when it succeeded). */
async function codeOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

/** The three calls of the reported attack, made on a connection whose key is `key` (none when undefined). */
async function attack(key: string | undefined, victimId: string) {
  const connection = await Connection.lazy({ address: server.address, ...(key ? { apiKey: key, tls: false } : {}) });
  try {
    const service = connection.workflowService;
    return {
      start: await codeOf(
        service.startWorkflowExecution({
          namespace: 'default',
          workflowId: `intruder-${randomUUID()}`,
          workflowType: { name: 'anything' },
          taskQueue: { name: taskQueue },
          requestId: randomUUID(),
        }),
      ),
      list: await codeOf(service.listWorkflowExecutions({ namespace: 'default', pageSize: 100 })),
      cancel: await codeOf(
        service.requestCancelWorkflowExecution({
          namespace: 'default',
          workflowExecution: { workflowId: victimId },
          requestId: randomUUID(),
        }),
      ),
    };
  } finally {
    await connection.close();
  }
}

beforeAll(async () => {
  apiKey = generateApiKey();
  server = await startDevServer({ port: 0, apiKey });
  owner = await Connection.connect(temporalConnectionOptions({ address: server.address, apiKey, tls: false }));
  ownerClient = new Client({ connection: owner, namespace: 'default' });
});
afterAll(async () => {
  await owner?.close();
  await server?.stop();
});

describe('devserver API key', () => {
  it('answers UNAUTHENTICATED to start, list and cancel without a key or with a wrong one', async () => {
    const victim = await ownerClient.workflow.start('buildWorkflow', {
      taskQueue,
      workflowId: `victim-${randomUUID()}`,
    });
    const unauthenticated = { start: GrpcStatus.UNAUTHENTICATED, list: GrpcStatus.UNAUTHENTICATED };
    expect(await attack(undefined, victim.workflowId)).toEqual({
      ...unauthenticated,
      cancel: GrpcStatus.UNAUTHENTICATED,
    });
    expect(await attack(generateApiKey(), victim.workflowId)).toEqual({
      ...unauthenticated,
      cancel: GrpcStatus.UNAUTHENTICATED,
    });
    // A key that is a prefix of the real one is just as wrong.
    expect((await attack(apiKey.slice(0, -1), victim.workflowId)).list).toBe(GrpcStatus.UNAUTHENTICATED);

    // Nothing the intruders sent took effect: the victim runs, uncancelled, and is the only workflow.
    const described = await victim.describe();
    expect(described.status.name).toBe('RUNNING');
    const history = await victim.fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionCancelRequestedEventAttributes)).toBe(false);
    const listed: string[] = [];
    for await (const execution of ownerClient.workflow.list()) listed.push(execution.workflowId);
    expect(listed).toEqual([victim.workflowId]);
    // The same calls with the key work, so the refusals above are about the key.
    expect(await attack(apiKey, victim.workflowId)).toEqual({ start: undefined, list: undefined, cancel: undefined });
  });

  it('refuses the SDK connection check itself with a message saying what is missing', async () => {
    const error = await Connection.connect({ address: server.address }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toBe('Failed to connect to Temporal server');
    const cause = (error as Error & { cause?: { code?: number; details?: string } }).cause;
    expect(cause?.code).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(cause?.details).toMatch(/requires an API key: connect with the apiKey option/);
  });
});

/** Runs `npm run devserver` with `args` and `env`; resolves with its address and everything it wrote to stderr. */
function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'devserver/main.ts', '--port', '0', ...args], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const address = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /ready on (\S+)\n/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`devserver exited (${code}): ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    address,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('npm run devserver', () => {
  it('requires the --api-key or KILN_DEVSERVER_API_KEY it was given', async () => {
    const generated = generateApiKey();
    // A key of the user's own that starts with a dash is given as --api-key=<key>.
    const dashed = `-${generated}`;
    const runs: [ReturnType<typeof startCli>, string][] = [
      [startCli(['--api-key', generated]), generated],
      [startCli([], { KILN_DEVSERVER_API_KEY: generated }), generated],
      [startCli([`--api-key=${dashed}`]), dashed],
    ];
    for (const [cli, key] of runs) {
      try {
        const address = await cli.address;
        const bare = await Connection.lazy({ address });
        const keyed = await Connection.lazy({ address, apiKey: key, tls: false });
        try {
          expect(await codeOf(bare.workflowService.getSystemInfo({}))).toBe(GrpcStatus.UNAUTHENTICATED);
          expect(await codeOf(keyed.workflowService.getSystemInfo({}))).toBeUndefined();
        } finally {
          await Promise.all([bare.close(), keyed.close()]);
        }
        expect(cli.stderr()).not.toContain(key);
        expect(cli.stderr()).not.toMatch(/accepts every client/);
      } finally {
        await cli.stop();
      }
    }
  }, 60_000);

  it('stays open without a key but warns that anyone who reaches it may act', async () => {
    const cli = startCli([]);
    try {
      const bare = await Connection.lazy({ address: await cli.address });
      try {
        expect(await codeOf(bare.workflowService.getSystemInfo({}))).toBeUndefined();
      } finally {
        await bare.close();
      }
      expect(cli.stderr()).toMatch(/accepts every client on this address/);
    } finally {
      await cli.stop();
    }
  }, 60_000);
});

describe('embedded engine', () => {
  let kiln: TestKiln;
  beforeAll(async () => {
    kiln = await startTestKiln();
  }, 120_000);
  afterAll(async () => kiln?.stop());

  it('listens on loopback, requires the key Kiln stored 0600 in its data dir, and refuses a bare client', async () => {
    if (process.env.TEMPORAL_ADDRESS) return; // a real cluster is the operator's to secure
    expect(kiln.temporalAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    const keyFile = path.join(kiln.dataDir, ENGINE_KEY_FILE);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(kiln.temporalTarget.apiKey);

    const bare = await Connection.lazy({ address: kiln.temporalAddress });
    try {
      const code = await codeOf(bare.workflowService.listWorkflowExecutions({ namespace: 'default' }));
      expect(code).toBe(GrpcStatus.UNAUTHENTICATED);
    } finally {
      await bare.close();
    }
    // Kiln's own client (the key from its data dir) is admitted.
    const client = await kiln.temporal();
    await expect(client.connection.workflowService.getSystemInfo({})).resolves.toBeDefined();
  });

  it('reuses the stored key after a restart', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiln-engine-key-'));
    try {
      const first = await startEngine({ dataDir, devserverPort: 0 });
      await first.stop();
      const second = await startEngine({ dataDir, devserverPort: 0 });
      await second.stop();
      expect(first.apiKey).toBeTruthy();
      expect(second.apiKey).toBe(first.apiKey);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
