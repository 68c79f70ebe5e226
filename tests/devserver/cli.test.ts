// The devserver CLI: one readiness line on stdout, a reachable server, clean exit on SIGTERM, state kept on disk.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');

function startCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'devserver/main.ts', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('\n')) resolve(stdout);
    });
    child.on('exit', (code) => reject(new Error(`devserver exited with ${code} before it was ready: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => stdout, errors: () => stderr };
}

describe('devserver CLI', () => {
  it('prints one ready line, serves the namespace and stops cleanly on SIGTERM, writing --db-filename', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-devserver-cli-'));
    const db = path.join(dir, 'state.db');
    const cli = startCli(['--port', '0', '--db-filename', db]);
    try {
      const line = await cli.ready;
      const match = /^Kiln devserver ready on (127\.0\.0\.1:\d+)\n$/.exec(line);
      expect(match).not.toBeNull();
      const connection = await Connection.connect({ address: match![1]! });
      const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
      await connection.close();
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      expect(cli.output().trim().split('\n')).toHaveLength(1);
      expect((await stat(db)).size).toBeGreaterThan(0);
    } finally {
      cli.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid port with a clear message', async () => {
    const cli = startCli(['--port', 'seventy']);
    await expect(cli.ready).rejects.toThrow(/port/);
    expect(await cli.exited).toBe(2);
  });
});
