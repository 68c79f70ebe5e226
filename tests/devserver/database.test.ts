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
import { encodeEvent, encodeRunState } from '../../devserver/run-codec';
import { Scheduler } from '../../devserver/scheduler';
import { startDevServer, type DevServer } from '../../devserver/server';
import { openSqliteStore } from '../../devserver/sqlite-store';
import { spawnDevServer } from './crash-process';

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

describe('devserver database ownership', () => {
  it('refuses a second devserver on a file another process holds, and takes over once that one is killed', async () => {
    const dbFilename = path.join(dir, 'owned.db');
    const holder = await spawnDevServer(dbFilename);
    try {
      await expect(startDevServer({ port: 0, dbFilename })).rejects.toThrow(
        new RegExp(`devserver database .*owned\\.db is in use by process ${holder.child.pid}: stop that devserver`),
      );
    } finally {
      await holder.crash();
    }
    // kill -9 left the lock behind; the next devserver sees its holder is gone.
    await withServer(dbFilename, async (client) => expect(await countOf(client, 'none')).toBe(0));
  });
});

describe('devserver database at scale', () => {
  it('answers within 3 s of starting on 50 000 closed runs, and reads an old one', async () => {
    const dbFilename = path.join(dir, 'scale.db');
    const taskQueue = `scale-${randomUUID()}`;
    const { closedIds } = await withServer(dbFilename, (client) => seed(client, 1, taskQueue));
    // Copies of one real closed run, written straight through the store (the RPC path would take minutes).
    const store = await openSqliteStore(dbFilename);
    const template = store.run(store.latestRunId(`default/${closedIds[0]}`)!)!;
    const encoded = template.history.map((e) => encodeEvent(e));
    const events = Buffer.concat(encoded);
    const slices = encoded.map((bytes, i): [number, number, number] => [
      i + 1,
      encoded.slice(0, i).reduce((n, b) => n + b.length, 0),
      bytes.length,
    ]);
    const ids = Array.from({ length: 50_000 }, (_, i) => `scale-${i}`);
    for (let from = 0; from < ids.length; from += 10_000) {
      const runs = ids.slice(from, from + 10_000).map((workflowId) => {
        const runId = randomUUID();
        const state = encodeRunState({ ...template, workflowId, runId, firstRunId: runId });
        return {
          runId,
          key: `default/${workflowId}`,
          namespace: 'default',
          closed: true,
          closeTime: Date.now(),
          state,
          events: slices,
        };
      });
      await store.write({ namespaces: [], runs, events: new Uint8Array(events), deleted: [], sweeps: [] });
    }
    await store.close();

    const started = performance.now();
    await withServer(dbFilename, async (client) => {
      const described = await client.workflow.getHandle('scale-17').describe();
      expect(performance.now() - started).toBeLessThan(3000); // ~175 ms here: closed runs are not loaded
      expect(described.status.name).toBe('TERMINATED');
      expect((await client.workflow.getHandle('scale-49999').fetchHistory()).events).toHaveLength(slices.length);
    });
  });
});
