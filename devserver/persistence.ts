// --db-filename: changes are committed to a SQLite database (sqlite-store.ts) before the RPC that made them is
// answered. Group commit: changes accumulate while a commit is in flight and the next commit takes them all, so
// many concurrent RPCs share one fsync. A commit writes each changed run's live state and only its new history
// events; closed runs leave memory once their close is on disk. Chosen over a JSON journal because closed runs
// must be readable from disk by id, by workflow id and by namespace, which is what a database's indexes give.
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { DevServerLogger } from './context';
import { CommitTracker } from './commit-tracker';
import { lockDatabase } from './db-lock';
import { importLegacySnapshot } from './legacy-snapshot';
import { openSqliteStore } from './sqlite-store';
import { workflowKey, type ServerState, type WorkflowRun } from './state';
import { StoredLatest, StoredRuns } from './stored-state';

/** A persistence handle: the loaded state, change tracking and durability. */
export interface Persistence {
  state: ServerState;
  /** Marks a run (or only the namespaces, without an id) changed; it is committed soon, whoever waits. */
  scheduleWrite(runId?: string): void;
  /** Resolves once every change made so far is on disk; rejects if the commit failed. */
  durable(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the database at `file` (importing a v1 JSON snapshot found there) and loads every open run. */
export async function openPersistence(file: string, log: DevServerLogger): Promise<Persistence> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const unlock = await lockDatabase(file);
  try {
    return await openLocked(file, log, unlock);
  } catch (err) {
    await unlock();
    throw err;
  }
}

async function openLocked(file: string, log: DevServerLogger, unlock: () => Promise<void>): Promise<Persistence> {
  const legacy = await importLegacySnapshot(file, log);
  // Created 0600 before SQLite opens it: its -wal and -shm files take the database file's permissions.
  await (await open(file, 'a', 0o600)).close();
  const store = await openSqliteStore(file);
  const written = new WeakMap<WorkflowRun, number>();
  const runs = new StoredRuns(store, (run) => written.set(run, run.history.length));
  const state: ServerState = { namespaces: new Map(), runs, latest: new StoredLatest(store, runs.gone) };
  const tracker = new CommitTracker(store, state, written, log);
  state.archive = {
    closedRuns: (namespace) =>
      store.closedRuns(namespace).filter((r) => !runs.isLive(r.runId) && !runs.gone.has(r.runId)),
    sweep: (namespace, before) => tracker.sweep(namespace, before),
  };
  for (const ns of store.namespaces()) state.namespaces.set(ns.name, ns);
  for (const run of store.liveRuns()) {
    written.set(run, run.history.length);
    runs.set(run.runId, run);
    state.latest.set(workflowKey(run.namespace, run.workflowId), run.runId);
  }
  if (legacy) {
    tracker.adopt(legacy);
    await tracker.durable();
  }
  log.info({ file, openRuns: runs.size }, 'devserver state loaded');
  return {
    state,
    scheduleWrite: (runId) => tracker.mark(runId),
    durable: () => tracker.durable(),
    async close() {
      await tracker.durable().catch((err: unknown) => log.error({ err, file }, 'devserver final commit failed'));
      await store.close();
      await unlock();
    },
  };
}
