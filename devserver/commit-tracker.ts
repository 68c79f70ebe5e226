// Group commit for the devserver database: changes accumulate while a commit is in flight, and the next commit
// takes them all, so concurrent RPCs share one fsync. A commit writes each changed run's live state and only its
// new history events, then moves runs whose close is on disk out of memory.
import type { DevServerLogger } from './context';
import { encodeEvent, encodeRunState } from './run-codec';
import type { RunWrite, SqliteStore, WriteBatch } from './sqlite-store';
import { isClosed, workflowKey, type ServerState, type WorkflowRun } from './state';
import type { StoredLatest, StoredRuns } from './stored-state';

const RETRY_AFTER_FAILURE_MS = 1000;

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

// A buffer of its own (never Buffer's shared pool), because it is transferred to the writer thread.
function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Group commit: tracks what changed, writes it in one batch at a time, and answers `durable()` waiters. */
export class CommitTracker {
  private dirty = new Set<string>();
  private deleted = new Set<string>();
  private sweeps: WriteBatch['sweeps'] = [];
  private namespacesDirty = false;
  private changeSeq = 0;
  private durableSeq = 0;
  private inflight = false;
  private scheduled = false;
  private waiters: Waiter[] = [];
  private readonly runs: StoredRuns;

  constructor(
    private readonly store: SqliteStore,
    private readonly state: ServerState,
    private readonly written: WeakMap<WorkflowRun, number>,
    private readonly log: DevServerLogger,
  ) {
    this.runs = state.runs as StoredRuns;
    this.runs.onDelete = (runId) => {
      this.deleted.add(runId);
      this.dirty.delete(runId);
      this.bump();
    };
  }

  /** Deletes, in the next commit, closed runs on disk that closed before `before`. */
  sweep(namespace: string, before: number): void {
    this.runs.forgetClosedBefore(namespace, before);
    this.sweeps.push({ namespace, before });
    this.bump();
  }

  /** Takes over runs imported from an old snapshot: all of them are written in the first commit. */
  adopt(legacy: ServerState): void {
    for (const ns of legacy.namespaces.values()) this.state.namespaces.set(ns.name, ns);
    for (const run of legacy.runs.values()) {
      this.runs.set(run.runId, run);
      this.state.latest.set(workflowKey(run.namespace, run.workflowId), run.runId);
      this.dirty.add(run.runId);
    }
    this.namespacesDirty = true;
    this.bump();
  }

  mark(runId?: string): void {
    if (runId) this.dirty.add(runId);
    else this.namespacesDirty = true;
    this.bump();
  }

  durable(): Promise<void> {
    if (this.durableSeq >= this.changeSeq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq: this.changeSeq, resolve, reject });
      this.schedule();
    });
  }

  private bump(): void {
    this.changeSeq++;
    this.schedule();
  }

  // setImmediate: every change made while this turn of the event loop handles its I/O joins one commit.
  private schedule(delayMs = 0): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.commit();
    };
    if (delayMs > 0) setTimeout(run, delayMs).unref();
    else setImmediate(run);
  }

  private commit(): void {
    if (this.inflight || this.durableSeq >= this.changeSeq) return;
    this.inflight = true;
    const upTo = this.changeSeq;
    const { batch, included } = this.takeBatch();
    this.store.write(batch).then(
      () => {
        for (const [run, count] of included) this.written.set(run, count);
        for (const runId of batch.deleted) this.runs.gone.delete(runId);
        this.retireClosed(included.keys());
        this.settle(upTo, null);
        this.inflight = false;
        this.schedule();
      },
      (err: Error) => {
        this.log.error({ err }, 'devserver commit failed; retrying');
        this.putBack(batch);
        this.settle(upTo, err);
        this.inflight = false;
        this.schedule(RETRY_AFTER_FAILURE_MS);
      },
    );
  }

  private takeBatch(): { batch: WriteBatch; included: Map<WorkflowRun, number> } {
    const included = new Map<WorkflowRun, number>();
    const writes: RunWrite[] = [];
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (const runId of this.dirty) {
      const run = this.runs.peek(runId);
      if (!run) continue;
      const events: RunWrite['events'] = [];
      for (const event of run.history.slice(this.written.get(run) ?? 0)) {
        const bytes = encodeEvent(event);
        events.push([Number(event.eventId), size, bytes.length]);
        chunks.push(bytes);
        size += bytes.length;
      }
      included.set(run, run.history.length);
      writes.push({
        runId,
        key: workflowKey(run.namespace, run.workflowId),
        namespace: run.namespace,
        closed: isClosed(run),
        closeTime: run.closeTime,
        state: encodeRunState(run),
        events,
      });
    }
    const namespaces = this.namespacesDirty
      ? [...this.state.namespaces.values()].map((ns) => ({ name: ns.name, data: JSON.stringify(ns) }))
      : [];
    const batch: WriteBatch = {
      namespaces,
      runs: writes,
      events: concat(chunks, size),
      deleted: [...this.deleted],
      sweeps: this.sweeps,
    };
    this.dirty = new Set();
    this.deleted = new Set();
    this.sweeps = [];
    this.namespacesDirty = false;
    return { batch, included };
  }

  private putBack(batch: WriteBatch): void {
    for (const run of batch.runs) this.dirty.add(run.runId);
    for (const runId of batch.deleted) this.deleted.add(runId);
    this.sweeps.push(...batch.sweeps);
    if (batch.namespaces.length > 0) this.namespacesDirty = true;
  }

  private retireClosed(committed: Iterable<WorkflowRun>): void {
    for (const run of committed) {
      if (!isClosed(run) || this.dirty.has(run.runId)) continue;
      this.runs.retire(run);
      (this.state.latest as StoredLatest).retire(workflowKey(run.namespace, run.workflowId), run.runId);
    }
  }

  private settle(upTo: number, err: Error | null): void {
    if (!err) this.durableSeq = upTo;
    const remaining: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.seq > upTo) remaining.push(w);
      else if (err) w.reject(err);
      else w.resolve();
    }
    this.waiters = remaining;
  }
}
