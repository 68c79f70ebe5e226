// The devserver's state when it has a database: open runs (and a few recently closed ones) in memory, every other
// closed run read back from disk on demand, so memory follows what is live rather than how much history there is.
import type { SqliteStore } from './sqlite-store';
import type { WorkflowRun } from './state';

/** How many closed runs stay in memory after their close is on disk (result polls, describes, queries). */
const RECENT_CLOSED = 200;

/** Run id → run: open runs in memory, closed ones in a small cache over the database. */
export class StoredRuns extends Map<string, WorkflowRun> {
  private readonly recent = new Map<string, WorkflowRun>();
  /** Deleted (retention) but not yet committed: the database must not bring them back. */
  readonly gone = new Set<string>();
  /** Told of every delete, so the commit removes the run from disk too. */
  onDelete: (runId: string) => void = () => undefined;

  constructor(
    private readonly store: SqliteStore,
    private readonly onLoad: (run: WorkflowRun) => void,
  ) {
    super();
  }

  /** The run in memory, or read from the database (and kept among the recent closed runs). */
  override get(runId: string): WorkflowRun | undefined {
    const live = super.get(runId);
    if (live) return live;
    const cached = this.recent.get(runId);
    if (cached) {
      this.recent.delete(runId);
      this.recent.set(runId, cached);
      return cached;
    }
    if (this.gone.has(runId)) return undefined;
    const loaded = this.store.run(runId);
    if (loaded) {
      this.onLoad(loaded);
      this.remember(loaded);
    }
    return loaded;
  }

  override has(runId: string): boolean {
    return this.get(runId) !== undefined;
  }

  override delete(runId: string): boolean {
    this.gone.add(runId);
    this.onDelete(runId);
    const cached = this.recent.delete(runId);
    return super.delete(runId) || cached;
  }

  /** True when the run is in the live set (what `values()` iterates). */
  isLive(runId: string): boolean {
    return super.has(runId);
  }

  /** The run if it is in memory; never reads the database. */
  peek(runId: string): WorkflowRun | undefined {
    return super.get(runId) ?? this.recent.get(runId);
  }

  /** Moves a closed run whose close is on disk out of the live set. */
  retire(run: WorkflowRun): void {
    if (super.get(run.runId) !== run) return;
    super.delete(run.runId);
    this.remember(run);
  }

  /** Drops cached closed runs that retention is deleting from disk. */
  forgetClosedBefore(namespace: string, before: number): void {
    for (const [id, run] of this.recent)
      if (run.namespace === namespace && run.closeTime < before) this.recent.delete(id);
  }

  private remember(run: WorkflowRun): void {
    this.recent.set(run.runId, run);
    if (this.recent.size <= RECENT_CLOSED) return;
    // Oldest first; a run with a query in flight stays, so the answer finds the run the caller waits on.
    for (const [id, old] of this.recent) {
      if (this.recent.size <= RECENT_CLOSED) break;
      if (old.queries.length === 0) this.recent.delete(id);
    }
  }
}

/** Workflow key → latest run id: in memory for live workflows, the newest stored run otherwise. */
export class StoredLatest extends Map<string, string> {
  constructor(
    private readonly store: SqliteStore,
    private readonly gone: Set<string>,
  ) {
    super();
  }

  override get(key: string): string | undefined {
    const runId = super.get(key) ?? this.store.latestRunId(key);
    return runId && !this.gone.has(runId) ? runId : undefined;
  }

  /** Drops the in-memory entry when it names this run (it stays findable on disk). */
  retire(key: string, runId: string): void {
    if (super.get(key) === runId) super.delete(key);
  }
}
