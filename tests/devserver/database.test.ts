// --db-filename specifics: closed runs leave memory and are read back from disk (describe, history, list, count),
// they survive a restart, retention deletes them from disk, and a v1 JSON snapshot is imported on upgrade.
import { randomUUID } from 'node:crypto';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPersistence } from '../../devserver/persistence';
import { sweepClosedRuns } from '../../devserver/retention';
import { encodeRunState } from '../../devserver/run-codec';
import { Scheduler } from '../../devserver/scheduler';
import { startDevServer, type DevServer } from '../../devserver/server';
import { openSqliteStore } from '../../devserver/sqlite-store';

const DAY = 86_400_000;
const silent = { info() {}, warn() {}, error() {}, debug() {} };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-devserver-database-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function withServer<T>(dbFilename: string, use: (client: Client, server: DevServer) => Promise<T>): Promise<T> {
  const server = await startDevServer({ port: 0, dbFilename });
  const connection = await Connection.connect({ address: server.address });
  try {
    return await use(new Client({ connection }), server);
  } finally {
    await connection.close();
    await server.stop();
  }
}

/** Starts `closed` workflows and terminates them, plus one that stays open; no worker needed. */
async function seed(client: Client, closed: number, taskQueue: string) {
  const ids: string[] = [];
  for (let i = 0; i < closed; i++) {
    const handle = await client.workflow.start('neverRuns', { taskQueue, workflowId: `closed-${i}-${randomUUID()}` });
    await handle.terminate(`seed ${i}`);
    ids.push(handle.workflowId);
  }
  const open = await client.workflow.start('neverRuns', { taskQueue, workflowId: `open-${randomUUID()}` });
  return { closedIds: ids, openId: open.workflowId };
}

const countOf = async (client: Client, taskQueue: string) =>
  (await client.workflow.count(`TaskQueue = '${taskQueue}'`)).count;

describe('devserver database', () => {
  it('reads closed runs back from disk, before and after a restart', async () => {
    const dbFilename = path.join(dir, 'readback.db');
    const taskQueue = `readback-${randomUUID()}`;
    // More than the 200 recently closed runs kept in memory, so the first ones are only on disk.
    const { closedIds, openId } = await withServer(dbFilename, async (client) => {
      const seeded = await seed(client, 240, taskQueue);
      const first = client.workflow.getHandle(seeded.closedIds[0]!);
      expect((await first.describe()).status.name).toBe('TERMINATED');
      const events = (await first.fetchHistory()).events ?? [];
      expect(events.map((e) => e.workflowExecutionTerminatedEventAttributes?.reason).filter(Boolean)).toEqual([
        'seed 0',
      ]);
      expect(await countOf(client, taskQueue)).toBe(241);
      return seeded;
    });
    await withServer(dbFilename, async (client) => {
      expect(await countOf(client, taskQueue)).toBe(241);
      const listed: string[] = [];
      for await (const info of client.workflow.list({
        query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Terminated'`,
      }))
        listed.push(info.workflowId);
      expect(listed.sort()).toEqual([...closedIds].sort());
      expect((await client.workflow.getHandle(closedIds[0]!).describe()).historyLength).toBeGreaterThan(1);
      // The open one is live again: it takes a signal and still waits for its first workflow task.
      await client.workflow.getHandle(openId).signal('poke');
      expect((await client.workflow.getHandle(openId).describe()).status.name).toBe('RUNNING');
    });
  });

  it('deletes closed runs past retention from disk and keeps the rest', async () => {
    const dbFilename = path.join(dir, 'retention.db');
    const taskQueue = `retention-${randomUUID()}`;
    const { closedIds, openId } = await withServer(dbFilename, (client) => seed(client, 3, taskQueue));
    const sweep = async (now: number) => {
      const persistence = await openPersistence(dbFilename, silent);
      const scheduler = new Scheduler(() => undefined);
      sweepClosedRuns({ state: persistence.state, scheduler, persist: () => persistence.scheduleWrite() }, now);
      await persistence.durable();
      await persistence.close();
    };
    await sweep(Date.now() + 6 * DAY); // within the default 7 days
    await withServer(dbFilename, async (client) => expect(await countOf(client, taskQueue)).toBe(4));
    await sweep(Date.now() + 8 * DAY);
    await withServer(dbFilename, async (client) => {
      expect(await countOf(client, taskQueue)).toBe(1);
      await expect(client.workflow.getHandle(closedIds[0]!).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
      expect((await client.workflow.getHandle(openId).describe()).status.name).toBe('RUNNING');
    });
  });

  it('imports a v1 JSON snapshot found at --db-filename and keeps it aside', async () => {
    const source = path.join(dir, 'source.db');
    const taskQueue = `legacy-${randomUUID()}`;
    const { closedIds, openId } = await withServer(source, (client) => seed(client, 2, taskQueue));
    // The v1 format: one JSON document, each run with its history inline as protobuf JSON.
    const store = await openSqliteStore(source);
    const runs = [...store.liveRuns(), ...closedIds.map((id) => store.run(store.latestRunId(`default/${id}`)!)!)];
    const snapshot = {
      version: 1,
      namespaces: store.namespaces(),
      runs: runs.map((run) => ({
        ...(JSON.parse(encodeRunState(run)) as object),
        history: run.history.map((e) => (e as { toJSON(): unknown }).toJSON()),
        queries: [],
      })),
    };
    await store.close();
    const legacy = path.join(dir, 'legacy.db');
    await writeFile(legacy, JSON.stringify(snapshot));

    await withServer(legacy, async (client) => {
      expect(await countOf(client, taskQueue)).toBe(3);
      expect((await client.workflow.getHandle(closedIds[1]!).describe()).status.name).toBe('TERMINATED');
      await client.workflow.getHandle(openId).signal('after-import');
    });
    await access(`${legacy}.v1.json`);
    await withServer(legacy, async (client) => {
      const events = (await client.workflow.getHandle(openId).fetchHistory()).events ?? [];
      expect(events.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'after-import')).toBe(true);
    });
  });
});
