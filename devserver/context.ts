// The services every devserver module receives: state, timers, task queues, change notification and logging.
import type { Scheduler } from './scheduler';
import type { ServerState, WorkflowRun } from './state';
import type { TaskQueues } from './task-queues';

/** A workflow-queue entry: a workflow task of a run, or a legacy query task. */
export type WorkflowQueueItem =
  { kind: 'workflow'; runId: string; nonce: number } | { kind: 'query'; runId: string; queryId: string };

/** An activity-queue entry: one attempt of one activity. */
export interface ActivityQueueItem {
  runId: string;
  scheduledEventId: number;
  attempt: number;
  /** The activity's nonce when queued; a later change (pause, new options) makes the entry stale. */
  nonce?: number;
}

/** The logger shape the devserver writes to (pino-compatible). */
export interface DevServerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** When WorkflowTaskStarted suggests continue-as-new: the real server's `limit.historyCount/Size.suggestContinueAsNew`. */
export interface HistoryLimits {
  /** Events in history (default 4096). */
  suggestContinueAsNewCount: number;
  /** Encoded bytes of history (default 4 MiB). */
  suggestContinueAsNewBytes: number;
}

/** The real server's defaults for HistoryLimits. */
export const DEFAULT_HISTORY_LIMITS: HistoryLimits = {
  suggestContinueAsNewCount: 4 * 1024,
  suggestContinueAsNewBytes: 4 * 1024 * 1024,
};

/** Blob and memo size limits in bytes, as the real server's dynamic config of the same names (payload-limits.ts). */
export interface PayloadLimits {
  /** `limit.blobSize.error`: one payload field of an event. */
  blobSizeError: number;
  /** `limit.blobSize.warn`. */
  blobSizeWarn: number;
  /** `limit.memoSize.error`: a run's whole memo. */
  memoSizeError: number;
  /** `limit.memoSize.warn`. */
  memoSizeWarn: number;
}

/** The real server's defaults: 2 MiB blobs (warn at 512 KiB), 2 MiB memos (warn at 2 KiB). */
export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = {
  blobSizeError: 2 * 1024 * 1024,
  blobSizeWarn: 512 * 1024,
  memoSizeError: 2 * 1024 * 1024,
  memoSizeWarn: 2 * 1024,
};

/** Everything a handler needs; created once per server. */
export interface Ctx {
  state: ServerState;
  scheduler: Scheduler;
  workflowQueues: TaskQueues<WorkflowQueueItem>;
  activityQueues: TaskQueues<ActivityQueueItem>;
  log: DevServerLogger;
  historyLimits: HistoryLimits;
  /** Blob and memo size limits (the real server's limit.blobSize / limit.memoSize). */
  payloadLimits: PayloadLimits;
  /** Called after any mutation of a run: wakes history long-polls and schedules persistence. */
  changed(run: WorkflowRun): void;
  /** Schedules a persistence write for changes that belong to no run (namespaces). */
  persist(): void;
  /** Resolves once every change made so far is on disk (at once without a database); RPCs answer after it. */
  durable(): Promise<void>;
  /** Resolves once `done()` holds after a change of the run, or after `ms`. */
  waitUntil(runId: string, ms: number, done: () => boolean): Promise<void>;
}

/** The task-queue key of a namespace's queue. */
export function queueKey(namespace: string, taskQueue: string): string {
  return `${namespace}/${taskQueue}`;
}
