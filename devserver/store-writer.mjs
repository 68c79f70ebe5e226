// The devserver database's only writer, in a worker thread so an fsync never stalls the gRPC event loop.
// Plain JavaScript because a worker thread loads files without the TypeScript loader (tsx, vitest) of its parent.
// Each message is one batch of changes written in one transaction; the answer is posted after COMMIT, and with
// `synchronous=FULL` a WAL commit has been fsynced by then. Messages: see `WriteBatch` in sqlite-store.ts.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const db = new DatabaseSync(workerData.file);
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
db.exec(workerData.schema);

const putNamespace = db.prepare(
  'INSERT INTO namespaces (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data',
);
const putRun = db.prepare(
  `INSERT INTO runs (run_id, wf_key, namespace, closed, close_time, state) VALUES (?, ?, ?, ?, ?, ?)
   ON CONFLICT (run_id) DO UPDATE SET closed = excluded.closed, close_time = excluded.close_time, state = excluded.state`,
);
const putEvent = db.prepare('INSERT OR REPLACE INTO events (run_id, event_id, data) VALUES (?, ?, ?)');
const dropEvents = db.prepare('DELETE FROM events WHERE run_id = ?');
const dropRun = db.prepare('DELETE FROM runs WHERE run_id = ?');
const expired = db.prepare('SELECT run_id FROM runs WHERE closed = 1 AND namespace = ? AND close_time < ?');

function drop(runId) {
  dropEvents.run(runId);
  dropRun.run(runId);
}

function apply(batch) {
  let swept = 0;
  for (const ns of batch.namespaces) putNamespace.run(ns.name, ns.data);
  for (const run of batch.runs) {
    putRun.run(run.runId, run.key, run.namespace, run.closed ? 1 : 0, run.closeTime, run.state);
    for (const [eventId, offset, length] of run.events)
      putEvent.run(run.runId, eventId, batch.events.subarray(offset, offset + length));
  }
  for (const runId of batch.deleted) drop(runId);
  for (const { namespace, before } of batch.sweeps) {
    for (const row of expired.all(namespace, before)) {
      drop(row.run_id);
      swept++;
    }
  }
  return swept;
}

parentPort.on('message', (batch) => {
  if (batch.close) {
    db.close();
    parentPort.postMessage({ id: batch.id, ok: true });
    return;
  }
  try {
    db.exec('BEGIN IMMEDIATE');
    const swept = apply(batch);
    db.exec('COMMIT');
    parentPort.postMessage({ id: batch.id, ok: true, swept });
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    parentPort.postMessage({ id: batch.id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
parentPort.postMessage({ ready: true });
