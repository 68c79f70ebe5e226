// The devserver's in-memory model: one WorkflowRun per run id, plus what is pending inside it.
import type { temporal } from '@temporalio/proto';
import type { EventName, HistoryEvent, Payloads, Payload, Failure } from './proto';

/** An event waiting for the in-flight workflow task to finish; ids are assigned when it is flushed. */
export interface BufferedEvent {
  name: EventName;
  attrs: Record<string, unknown>;
  /** Remember this event's id under a link key (e.g. the ActivityTaskStarted of activity 5). */
  recordAs?: string;
  /** Fill `startedEventId` from a link key recorded earlier in the same flush or before. */
  startedFrom?: string;
  /** Timer id of a TimerFired, so CancelTimer can drop it before it is written. */
  timerId?: string;
}

/** Workflow-task bookkeeping of a run. */
export interface WorkflowTaskState {
  state: 'none' | 'scheduled' | 'started';
  scheduledEventId: number;
  startedEventId: number;
  attempt: number;
  /** Changes on every dispatch so a stale token is rejected. */
  nonce: number;
  /** Absolute deadline of the started task (workflow task timeout). */
  deadline: number;
  scheduledTime: number;
  /**
   * Attempts after a failure are transient, as on the real server: their Scheduled/Started events are only sent
   * to the worker, and written to history once the attempt completes (or is force-closed).
   */
  transient: boolean;
  /**
   * Scheduled only to deliver updates, as on the real server: not written to history unless the worker's answer
   * changes the workflow (it is discarded when it only rejected updates).
   */
  speculative?: boolean;
  startedTime: number;
  startedIdentity: string;
  startedRequestId: string;
}

/** One scheduled activity of a run, across its attempts. */
export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  taskQueue: string;
  attempt: number;
  state: 'scheduled' | 'started' | 'backoff';
  nonce: number;
  scheduledTime: number;
  attemptScheduledTime: number;
  startedTime: number;
  startedIdentity: string;
  requestId: string;
  cancelRequested: boolean;
  cancelRequestedEventId: number;
  heartbeatDetails: Payloads | null;
  lastHeartbeat: number;
  lastFailure: Failure | null;
  /** Absolute deadlines (ms since epoch; 0 = none). */
  scheduleToCloseDeadline: number;
  scheduleToStartDeadline: number;
  startToCloseDeadline: number;
  heartbeatDeadline: number;
  retryAt: number;
  /** Set by PauseActivity: no attempt is dispatched, deadlines stop, and a running attempt hears `activity_paused`. */
  paused?: ActivityPause | null;
  /** Set by ResetActivity while an attempt runs: its heartbeats hear `activity_reset` until the next attempt. */
  resetRequested?: boolean;
  /** ResetActivity with reset_heartbeat while an attempt runs: the next attempt starts without heartbeat details. */
  resetHeartbeats?: boolean;
  /** Options set by UpdateActivityOptions; without them those of ActivityTaskScheduled apply. */
  options?: ActivityOptionsOverride | null;
}

/** Who paused an activity, when and why (PauseActivity). */
export interface ActivityPause {
  time: number;
  identity: string;
  reason: string;
  requestId: string;
}

/** An activity's options as UpdateActivityOptions leaves them (durations in ms; 0 = none). */
export interface ActivityOptionsOverride {
  taskQueue: string;
  scheduleToCloseMs: number;
  scheduleToStartMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
  retry: {
    initialIntervalMs: number;
    backoffCoefficient: number;
    maximumIntervalMs: number;
    maximumAttempts: number;
    nonRetryableErrorTypes: string[];
  };
}

/** A user timer started by StartTimer. */
export interface TimerState {
  timerId: string;
  startedEventId: number;
  fireAt: number;
}

/** A child workflow started by this run. */
export interface ChildState {
  initiatedEventId: number;
  namespace: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  parentClosePolicy: number;
  started: boolean;
}

/** Where a run reports its close to, when it is a child. */
export interface ParentRef {
  namespace: string;
  workflowId: string;
  runId: string;
  initiatedEventId: number;
}

/** A query waiting for a legacy query task answer. */
export interface PendingQuery {
  id: string;
  queryType: string;
  queryArgs: Payloads | null;
  header: unknown;
  dispatched: boolean;
  resolve: (result: { answer?: Payloads | null; error?: string }) => void;
}

/** Where an update is: admitted by the server, sent to a worker, accepted by the workflow, or completed. */
export type UpdateStage = 'admitted' | 'sent' | 'accepted' | 'completed';

/** One update of a run (temporal.api.update.v1), from its admission until the run is deleted. */
export interface UpdateRecord {
  updateId: string;
  stage: UpdateStage;
  /** The request (temporal.api.update.v1.Request), until WorkflowExecutionUpdateAccepted holds it. */
  request: UpdateRequest | null;
  /** When it was admitted (ms since epoch): updates go to the worker in this order. */
  admittedAt: number;
  acceptedEventId: number;
  completedEventId: number;
}

/** An update request as the client sent it (temporal.api.update.v1.IRequest). */
export type UpdateRequest = temporal.api.update.v1.IRequest;

/** One workflow run, its history and everything in flight. */
export interface WorkflowRun {
  namespace: string;
  workflowId: string;
  runId: string;
  firstRunId: string;
  workflowType: string;
  taskQueue: string;
  status: number;
  requestIds: string[];
  startTime: number;
  executionTime: number;
  closeTime: number;
  history: HistoryEvent[];
  buffered: BufferedEvent[];
  links: Record<string, number>;
  wft: WorkflowTaskState;
  lastCompletedStartedEventId: number;
  workflowTaskTimeoutMs: number;
  runDeadline: number;
  executionDeadline: number;
  activities: Map<number, ActivityState>;
  timers: Map<string, TimerState>;
  children: Map<number, ChildState>;
  parent: ParentRef | null;
  searchAttributes: Record<string, Payload>;
  memo: Record<string, Payload>;
  cancelRequested: boolean;
  /** Queries are in memory only: a restarted server has no callers waiting for them. */
  queries: PendingQuery[];
  /** When a retry's first workflow task is due (its backoff); 0 once scheduled. */
  firstTaskAt: number;
  /** Run id of the run this one continued as, once closed by ContinueAsNew. */
  newExecutionRunId: string;
  /** Updates in flight, and accepted ones (whose outcome history holds), by update id. */
  updates: Map<string, UpdateRecord>;
  /** Set once the run was reset: the run the reset started, which its children still running report to. */
  resetRunId?: string;
}

/** A namespace as stored (one JSON row each with --db-filename). */
export interface NamespaceRecord {
  name: string;
  id: string;
  retentionDays: number;
  /** Custom search attributes registered through the OperatorService: name → IndexedValueType. */
  searchAttributes?: Record<string, number>;
}

/** The whole mutable state of the devserver. */
export interface ServerState {
  namespaces: Map<string, NamespaceRecord>;
  /** runId → run. */
  runs: Map<string, WorkflowRun>;
  /** `${namespace}/${workflowId}` → latest run id. */
  latest: Map<string, string>;
  /** With a database: closed runs that are no longer in memory. */
  archive?: RunArchive;
}

/** Closed runs that live on disk only (a devserver with --db-filename). */
export interface RunArchive {
  /** Closed runs of a namespace that `runs.values()` does not hold, without history (visibility reads them). */
  closedRuns(namespace: string): WorkflowRun[];
  /** Deletes the namespace's closed runs that closed before `before` (ms since epoch). */
  sweep(namespace: string, before: number): void;
}

/** The key of a workflow id inside a namespace. */
export function workflowKey(namespace: string, workflowId: string): string {
  return `${namespace}/${workflowId}`;
}

/** True once a run has a close event. */
export function isClosed(run: WorkflowRun): boolean {
  return run.status !== 1;
}
