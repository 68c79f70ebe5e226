// `npm start` with the embedded database and engine: its data dir is private, it listens where it says, and its
// Temporal port refuses a client without Kiln's key.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirFolders } from '../../worker/data-dir';

const repoRoot = path.resolve(import.meta.dirname, '../..');
let dataDir: string;
let kiln: ChildProcess | undefined;
let output = '';
let logLines: Array<Record<string, unknown>> = [];

/** Resolves with the first log line whose msg matches, or fails when Kiln exits or takes too long. */
function waitForLog(pattern: RegExp, timeoutMs = 150_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const line = logLines.find((entry) => pattern.test(String(entry.msg)));
      if (line) {
        clearInterval(poll);
        resolve(line);
      } else if (kiln?.exitCode != null || Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`Kiln never logged ${pattern}:\n${output}`));
      }
    }, 100);
  });
}

/** Every path under `root` (not following symlinks) with its permission bits. */
async function walk(root: string): Promise<Array<{ file: string; mode: number; dir: boolean }>> {
  const found: Array<{ file: string; mode: number; dir: boolean }> = [];
  for (const name of await readdir(root)) {
    const file = path.join(root, name);
    const info = await lstat(file);
    found.push({ file, mode: info.mode & 0o777, dir: info.isDirectory() });
    if (info.isDirectory()) found.push(...(await walk(file)));
  }
  return found;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiln-private-'));
  // An install from before modes were enforced: open folder, readable files.
  await chmod(dataDir, 0o755);
  await mkdir(path.join(dataDir, 'notes'), { mode: 0o755 });
  await writeFile(path.join(dataDir, 'notes', 'old.txt'), 'x', { mode: 0o666 });
  await chmod(path.join(dataDir, 'notes', 'old.txt'), 0o666);
  await mkdir(path.join(dataDir, dataDirFolders.workspaces), { mode: 0o755 });
  kiln = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    // Exactly what an operator sets for a first try: a data dir and free ports; no HOST, no DATABASE_URL.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KILN_DATA_DIR: dataDir,
      PORT: '0',
      KILN_DEVSERVER_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    logLines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  kiln.stdout!.on('data', collect);
  kiln.stderr!.on('data', collect);
  await waitForLog(/^Kiln is running/);
}, 180_000);

afterAll(async () => {
  if (kiln && kiln.exitCode === null) {
    const exited = new Promise((resolve) => kiln!.once('exit', resolve));
    kiln.kill('SIGTERM');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('KILN_DATA_DIR on the machine', () => {
  it('is 0700 and nothing in it is readable by group or others (PGlite, engine state, keys, tokens)', async () => {
    // Some writes first, so files PostgreSQL and the engine create after start are covered too.
    const { port } = await waitForLog(/^Kiln API listening on /);
    const token = (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
    for (const name of ['private-a', 'private-b']) {
      const created = await fetch(`http://127.0.0.1:${String(port)}/api/v1/organizations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      expect(created.status).toBe(201);
    }
    expect((await lstat(dataDir)).mode & 0o777).toBe(0o700);
    const entries = await walk(dataDir);
    const names = entries.map((e) => path.relative(dataDir, e.file));
    // The files an attacker wanted are there, so the check below covers them.
    expect(names).toEqual(
      expect.arrayContaining(['admin-token', 'encryption.key', 'temporal-api-key', 'pgdata', 'notes/old.txt']),
    );
    expect(names.some((name) => name.startsWith('temporal.db'))).toBe(true);
    expect(names.filter((name) => name.startsWith('pgdata/')).length).toBeGreaterThan(100);
    const sealed = Object.values(dataDirFolders).map((name) => path.join(dataDir, name));
    const open = entries.filter(
      (e) => (e.mode & 0o077) !== 0 && !sealed.some((folder) => e.file.startsWith(`${folder}${path.sep}`)),
    );
    expect(open.map((e) => `${path.relative(dataDir, e.file)} ${e.mode.toString(8)}`)).toEqual([]);
    // Workspaces and the image store keep their tools' modes inside, behind a folder nobody else may enter.
    for (const folder of sealed) expect((await lstat(folder)).mode & 0o777).toBe(0o700);
  });
});

describe('addresses', () => {
  it('listens on loopback by default and logs the address it really bound', async () => {
    const listening = await waitForLog(/^Kiln API listening on /);
    expect(listening.address).toBe('127.0.0.1');
    const port = Number(listening.port);
    expect(listening.msg).toBe(`Kiln API listening on 127.0.0.1:${port}`);
    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    expect(health.status).toBe(200);
    // Another address of this machine does not reach it.
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: external, port }, () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    }
  });

  it('runs its engine on loopback and refuses a bare gRPC client', async () => {
    const engine = await waitForLog(/^Temporal engine ready/);
    expect(engine.embedded).toBe(true);
    expect(String(engine.address)).toMatch(/^127\.0\.0\.1:\d+$/);
    const bare = await Connection.lazy({ address: String(engine.address) });
    try {
      const list = bare.workflowService.listWorkflowExecutions({ namespace: 'default' });
      await expect(list).rejects.toMatchObject({ code: GrpcStatus.UNAUTHENTICATED });
    } finally {
      await bare.close();
    }
    // The key itself never reaches the log.
    expect(output).not.toContain((await readFile(path.join(dataDir, 'temporal-api-key'), 'utf8')).trim());
  });
});
