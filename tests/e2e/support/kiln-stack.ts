// The real Kiln (embedded Temporal devserver + PGlite + buildah worker) with a real git server and registry,
// for end-to-end UI tests. Everything listens on free ports and lives in temp dirs removed by stop().
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { loadServerEnv } from '../../../server/env';
import { startKiln } from '../../../server/start';
import { startGitServer } from '../../support/git-server';
import type { GitServer } from '../../support/git-server';
import { freePort, startRegistry } from '../../support/registry';
import type { TestRegistry } from '../../support/registry';

const exec = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** A running stack: Kiln's URL, its admin token, and the git server and registry it builds from and to. */
export interface KilnStack {
  url: string;
  adminToken: string;
  git: GitServer;
  gitToken: string;
  registry: TestRegistry;
  dataDir: string;
  /** Calls Kiln's REST API as the admin. */
  api<T>(method: string, apiPath: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Builds the UI bundle (served by Kiln at `/`) with the repository's own Vite config, unless it is up to date. */
export async function buildUi(): Promise<void> {
  const indexFile = path.join(repoRoot, 'ui/dist/index.html');
  // Rebuilding empties ui/dist, which other suites serving the UI may be reading; skip when nothing changed.
  if (existsSync(indexFile) && (await stat(indexFile)).mtimeMs > (await newestSource())) return;
  await exec(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'ui/vite.config.mjs',
      '--logLevel',
      'warn',
    ],
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    { cwd: repoRoot, env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (!existsSync(indexFile)) throw new Error('vite build wrote no ui/dist/index.html');
}

async function newestSource(): Promise<number> {
  const files = [
    path.join(repoRoot, 'ui/index.html'),
    path.join(repoRoot, 'ui/vite.config.mjs'),
    ...(await readdir(path.join(repoRoot, 'ui/src'), { recursive: true })).map((f) => path.join(repoRoot, 'ui/src', f)),
  ];
  const times = await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs));
  return Math.max(...times);
}

/** Starts git server, registry and Kiln on its embedded defaults with a temp KILN_DATA_DIR. */
export async function startKilnStack(): Promise<KilnStack> {
  const gitToken = `glpat-e2e-${Date.now()}`;
  const git = await startGitServer({ username: 'oauth2', password: gitToken });
  const registry = await startRegistry({ username: 'kiln', password: 'registry-pass' });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kiln-e2e-'));
  const port = await freePort();
  const env = loadServerEnv({
    PORT: String(port),
    HOST: '127.0.0.1',
    KILN_DATA_DIR: dataDir,
    KILN_PUBLIC_URL: `http://127.0.0.1:${port}`,
    KILN_LOCAL_URL: `http://localhost:${port}`,
    KILN_DEVSERVER_PORT: '0',
    KILN_MAX_CONCURRENT_BUILDS: '2',
    LOG_LEVEL: 'warn',
  });
  const kiln = await startKiln(env, pino({ level: 'warn' }));
  const adminToken = kiln.adminToken ?? (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
  const api = async <T>(method: string, apiPath: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${kiln.url}/api/v1${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${apiPath}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    url: kiln.url,
    adminToken,
    git,
    gitToken,
    registry,
    dataDir,
    api,
    async stop() {
      await kiln.stop();
      await git.stop();
      await registry.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
