// kill -9 under load, then a restart on the same --db-filename: every change the server acknowledged (start, signal,
// activity completion) is still there, exactly once, and no workflow has a second run. A torn or garbage WAL tail
// after a crash is dropped, and the server starts.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, rm, stat, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnDevServer, type DevServerProcess } from './crash-process';
import { driveLoad, fullHistory, ledgerOf, runsPerWorkflow, type Acknowledged } from './crash-load';

const ROUNDS = 3;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-crash-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function expectAllAcknowledged(server: DevServerProcess, acked: Acknowledged): Promise<void> {
  const runs = await runsPerWorkflow(server.connection);
  const duplicated = [...runs].filter(([, count]) => count > 1);
  expect(duplicated, 'workflow ids with more than one run').toEqual([]);
  const lostStarts = [...acked.starts].filter((id) => !runs.has(id));
  expect(lostStarts, 'acknowledged starts missing after the restart').toEqual([]);

  const notesOf = new Map<string, string[]>();
  const completedOf = new Map<string, string[]>();
  for (const workflowId of acked.starts) {
    const { notes, completed } = ledgerOf(await fullHistory(server.connection, workflowId));
    expect(new Set(notes).size, `${workflowId}: a signal written twice`).toBe(notes.length);
    expect(new Set(completed).size, `${workflowId}: an activity completed twice`).toBe(completed.length);
    notesOf.set(workflowId, notes);
    completedOf.set(workflowId, completed);
  }
  const lostSignals = acked.signals.filter((s) => !notesOf.get(s.workflowId)?.includes(s.note));
  expect(lostSignals, 'acknowledged signals missing from history').toEqual([]);
  const lostCompletions = acked.completions.filter((c) => !completedOf.get(c.workflowId)?.includes(c.activityId));
  expect(lostCompletions, 'acknowledged activity completions missing from history').toEqual([]);
}

describe('devserver crash safety (own process, kill -9)', () => {
  it('keeps every acknowledged start, signal and activity completion across kill -9 under load', async () => {
    const dbFilename = path.join(dir, 'load.db');
    const taskQueue = `crash-${randomUUID()}`;
    const acked: Acknowledged = { starts: new Set(), signals: [], completions: [] };
    let server = await spawnDevServer(dbFilename);
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const load = driveLoad(server.connection, taskQueue, acked);
        // Each round crashes a server that has been doing all three kinds of work (on a loaded machine activity
        // completions come slowest), then at a random moment SIGKILL the instant the next acknowledgement arrives: the change just answered has
        // had no time to reach the disk unless the server wrote it before answering.
        const completionsBefore = acked.completions.length;
        for (let waited = 0; acked.completions.length < completionsBefore + 8 && waited < 30_000; waited += 50) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1500));
        const killed = new Promise<void>((resolve) => {
          acked.onAck = () => {
            acked.onAck = undefined;
            server.child.kill('SIGKILL');
            resolve();
          };
        });
        await killed;
        await server.crash();
        await load;
        const restartedAt = performance.now();
        server = await spawnDevServer(dbFilename);
        expect(performance.now() - restartedAt).toBeLessThan(10_000);
        await expectAllAcknowledged(server, acked);
      }
      // The crashes hit a server under real load: many of each kind of change were acknowledged.
      expect(acked.starts.size).toBeGreaterThan(50);
      expect(acked.signals.length).toBeGreaterThan(50);
      expect(acked.completions.length).toBeGreaterThan(20);
    } finally {
      await server.stop();
    }
  });

  async function startOneByOne(dbFilename: string, count: number): Promise<string[]> {
    const server = await spawnDevServer(dbFilename);
    const client = new Client({ connection: server.connection });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const workflowId = `torn-${i}-${randomUUID()}`;
      await client.workflow.start('crashLedger', { taskQueue: 'torn', workflowId });
      ids.push(workflowId);
    }
    await server.crash();
    expect((await stat(`${dbFilename}-wal`)).size, 'the commits are still in the WAL').toBeGreaterThan(0);
    return ids;
  }

  async function existing(server: DevServerProcess, ids: string[]): Promise<string[]> {
    const runs = await runsPerWorkflow(server.connection);
    return ids.filter((id) => runs.has(id));
  }

  it('starts after a crash left a torn last commit, and drops only that commit', async () => {
    const dbFilename = path.join(dir, 'torn.db');
    const ids = await startOneByOne(dbFilename, 10);
    const wal = `${dbFilename}-wal`;
    await truncate(wal, (await stat(wal)).size - 100);
    const server = await spawnDevServer(dbFilename);
    try {
      expect(await existing(server, ids)).toEqual(ids.slice(0, -1));
      // And it goes on working on the same file.
      await new Client({ connection: server.connection }).workflow.start('crashLedger', {
        taskQueue: 'torn',
        workflowId: 'after-torn-tail',
      });
    } finally {
      await server.stop();
    }
    const again = await spawnDevServer(dbFilename);
    try {
      expect(await existing(again, [...ids, 'after-torn-tail'])).toEqual([...ids.slice(0, -1), 'after-torn-tail']);
    } finally {
      await again.stop();
    }
  });

  it('starts after garbage was appended to the WAL, keeping every commit', async () => {
    const dbFilename = path.join(dir, 'garbage.db');
    const ids = await startOneByOne(dbFilename, 5);
    await appendFile(`${dbFilename}-wal`, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256)));
    const server = await spawnDevServer(dbFilename);
    try {
      expect(await existing(server, ids)).toEqual(ids);
    } finally {
      await server.stop();
    }
  });
});
