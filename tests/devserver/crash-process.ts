// A devserver in its own process (`devserver/main.ts` via tsx), which crash tests kill -9 and the bench measures.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** A running devserver process and a client connection to it. */
export interface DevServerProcess {
  address: string;
  connection: Connection;
  child: ChildProcess;
  /** kill -9, then waits for the process to be gone. */
  crash(): Promise<void>;
  /** SIGTERM and wait (a clean stop). */
  stop(): Promise<void>;
}

/** Starts `devserver/main.ts [--db-filename <file>]` and connects once it printed its ready line. */
export async function spawnDevServer(dbFilename?: string): Promise<DevServerProcess> {
  const db = dbFilename ? ['--db-filename', dbFilename] : [];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'devserver/main.ts', '--port', '0', ...db, '--log-level', 'error'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const ready = /ready on (\S+)\n/.exec(stdout);
      if (ready) resolve(ready[1]!);
    });
    child.once('exit', (code) => reject(new Error(`devserver exited with ${code} before it was ready: ${stderr}`)));
  });
  // No retry interceptor: a call cut off by the crash fails at once instead of retrying against a dead port.
  const connection = await Connection.connect({ address, interceptors: [] });
  const end = async (signal: NodeJS.Signals) => {
    child.kill(signal);
    await exited;
    await connection.close().catch(() => undefined);
  };
  return { address, connection, child, crash: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
