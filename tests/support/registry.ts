/**
 * A real OCI registry for tests: Debian's `docker-registry` (CNCF distribution) with htpasswd (bcrypt) auth,
 * storage in a temp dir and a free port on 127.0.0.1.
 *
 *   const registry = await startRegistry({ username: 'kiln', password: 'secret' });
 *   // registry.host === '127.0.0.1:41234', registry.auth is a RegistryAuth with insecure: true
 *   await registry.stop();
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RegistryAuth } from '../../clients/registry';

const exec = promisify(execFile);

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  auth: RegistryAuth;
  /** Output of the registry process, for debugging a failing test. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `docker-registry serve` and waits until `/v2/` answers 401 (auth required = up and configured). */
export async function startRegistry(credentials: { username: string; password: string }): Promise<TestRegistry> {
  const root = await mkdtemp(path.join(tmpdir(), 'kiln-registry-'));
  const { stdout: htpasswd } = await exec('htpasswd', ['-Bbn', credentials.username, credentials.password]);
  await writeFile(path.join(root, 'htpasswd'), htpasswd, { mode: 0o600 });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  await writeFile(path.join(root, 'config.yml'), registryConfig(root, host));
  const child = spawn('docker-registry', ['serve', path.join(root, 'config.yml')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitForUnauthorized(`http://${host}/v2/`, child);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
    throw new Error(`docker-registry did not start: ${(error as Error).message}\n${output}`);
  }
  return {
    host,
    auth: { host, username: credentials.username, password: credentials.password, insecure: true },
    output: () => output,
    async stop() {
      if (child.exitCode == null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

function registryConfig(root: string, host: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(root, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    'auth:',
    '  htpasswd:',
    '    realm: kiln-test-registry',
    `    path: ${path.join(root, 'htpasswd')}`,
    '',
  ].join('\n');
}

/** A port the OS considers free right now (the registry cannot listen on port 0 and report it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForUnauthorized(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode != null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status === 401) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no 401 from ${url} within 15 s`);
}
