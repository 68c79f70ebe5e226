// Creating runs (WorkflowExecutionStarted + first workflow task) and finding them.
import { randomUUID } from 'node:crypto';
import { autoResetPoints } from './auto-reset-points';
import type { Ctx } from './context';
import { workflowNotFound } from './errors';
import { append, scheduleWorkflowTask } from './history';
import { api, duration, timestamp, type Failure, type HistoryEvent, type Payloads, type RetryPolicy } from './proto';
import { workflowKey, type ParentRef, type WorkflowRun } from './state';

const DEFAULT_WORKFLOW_TASK_TIMEOUT_MS = 10_000;
const MAX_WORKFLOW_TASK_TIMEOUT_MS = 120_000;

/** What a new run starts from (a client start, a child start or a continue-as-new). */
export interface StartParams {
  namespace: string;
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  input?: Payloads | null;
  executionTimeoutMs: number;
  runTimeoutMs: number;
  taskTimeoutMs: number;
  identity?: string | null;
  requestId: string;
  retryPolicy?: RetryPolicy | null;
  memo?: Record<string, unknown> | null;
  searchAttributes?: Record<string, unknown> | null;
  header?: unknown;
  parent?: ParentRef | null;
  firstRunId?: string;
  continuedRunId?: string;
  continuedFailure?: Failure | null;
  lastCompletionResult?: Payloads | null;
  initiator?: number;
  executionDeadline?: number;
  attempt?: number;
  /** SignalWithStart's signal, written between WorkflowExecutionStarted and the first WorkflowTaskScheduled. */
  signal?: { signalName: string; input?: Payloads | null; identity?: string; header?: unknown } | null;
  /** Backoff before the first workflow task (workflow retries). */
  firstTaskDelayMs?: number;
  /** Preset run id (continue-as-new announces it before the run exists). */
  runId?: string;
  /** Summary/details shown by UI and CLI, kept on WorkflowExecutionStarted. */
  userMetadata?: UserMetadata | null;
  priority?: Priority | null;
  /** The root of the parent chain (absent for a run without a parent, which is its own root). */
  rootExecution?: { workflowId?: string | null; runId?: string | null } | null;
  /** Eager start: the first workflow task is handed to the starting worker, not put on the task queue. */
  eager?: boolean;
}

type UserMetadata = NonNullable<HistoryEvent['userMetadata']>;
type Priority = NonNullable<StartedAttrs['priority']>;
type StartedAttrs = NonNullable<HistoryEvent['workflowExecutionStartedEventAttributes']>;

/** The run's root workflow execution, as describe reports it: the start's root, else the run itself. */
export function rootExecutionOf(run: WorkflowRun): { workflowId: string; runId: string } {
  const root = run.history[0]?.workflowExecutionStartedEventAttributes?.rootWorkflowExecution;
  if (root?.workflowId) return { workflowId: root.workflowId, runId: root.runId ?? '' };
  return { workflowId: run.workflowId, runId: run.runId };
}

/** A start's timeouts in ms (0 = none), normalized as the real server does. */
interface Timeouts {
  run: number;
  task: number;
  execution: number;
}

function normalizeTimeouts(p: StartParams): Timeouts {
  const execution = p.executionTimeoutMs;
  let run = p.runTimeoutMs || execution;
  if (execution > 0 && run > execution) run = execution;
  let task = p.taskTimeoutMs || DEFAULT_WORKFLOW_TASK_TIMEOUT_MS;
  task = Math.min(task, MAX_WORKFLOW_TASK_TIMEOUT_MS);
  if (run > 0) task = Math.min(task, run);
  return { run, task, execution };
}

/** The state of a run that has just started: nothing pending, its first workflow task not yet scheduled. */
function newRunState(p: StartParams, runId: string, now: number, t: Timeouts): WorkflowRun {
  const executionDeadline = p.executionDeadline ?? (t.execution > 0 ? now + t.execution : 0);
  let runDeadline = t.run > 0 ? now + t.run : 0;
  if (runDeadline > 0 && executionDeadline > 0) runDeadline = Math.min(runDeadline, executionDeadline);
  return {
    namespace: p.namespace,
    workflowId: p.workflowId,
    runId,
    firstRunId: p.firstRunId ?? runId,
    workflowType: p.workflowType,
    taskQueue: p.taskQueue,
    status: api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
    requestIds: [p.requestId],
    startTime: now,
    executionTime: now,
    closeTime: 0,
    history: [],
    buffered: [],
    links: {},
    wft: {
      state: 'none',
      scheduledEventId: 0,
      startedEventId: 0,
      attempt: 1,
      nonce: 0,
      deadline: 0,
      scheduledTime: 0,
      transient: false,
      speculative: false,
      startedTime: 0,
      startedIdentity: '',
      startedRequestId: '',
    },
    lastCompletedStartedEventId: 0,
    workflowTaskTimeoutMs: t.task,
    runDeadline,
    executionDeadline,
    activities: new Map(),
    timers: new Map(),
    children: new Map(),
    parent: p.parent ?? null,
    searchAttributes: { ...((p.searchAttributes ?? {}) as WorkflowRun['searchAttributes']) },
    memo: { ...((p.memo ?? {}) as WorkflowRun['memo']) },
    cancelRequested: false,
    queries: [],
    newExecutionRunId: '',
    firstTaskAt: p.firstTaskDelayMs ? now + p.firstTaskDelayMs : 0,
    updates: new Map(),
  };
}

/** Creates a run, writes WorkflowExecutionStarted and schedules its first workflow task. */
export function createRun(ctx: Ctx, p: StartParams): WorkflowRun {
  const t = normalizeTimeouts(p);
  const run = newRunState(p, p.runId ?? randomUUID(), Date.now(), t);
  const continued = p.continuedRunId ? ctx.state.runs.get(p.continuedRunId) : undefined;
  // Continue-as-new, retry and cron carry the chain's reset points into the next run.
  const prevAutoResetPoints = continued ? autoResetPoints(ctx, continued) : null;
  const started = append(run, 'WorkflowExecutionStarted', { ...startedAttributes(run, p, t), prevAutoResetPoints });
  if (p.userMetadata) started.userMetadata = p.userMetadata;
  if (p.signal) {
    append(run, 'WorkflowExecutionSignaled', {
      signalName: p.signal.signalName,
      input: p.signal.input ?? null,
      identity: p.signal.identity ?? '',
      header: (p.signal.header as object | null) ?? null,
    });
  }
  ctx.state.runs.set(run.runId, run);
  ctx.state.latest.set(workflowKey(run.namespace, run.workflowId), run.runId);
  if (run.firstTaskAt > 0) armFirstTask(ctx, run);
  else scheduleWorkflowTask(ctx, run, 1, { queue: !p.eager });
  return run;
}

/** Schedules the first workflow task once a retry's backoff has passed (also after a restart). */
export function armFirstTask(ctx: Ctx, run: WorkflowRun): void {
  ctx.scheduler.at(run.runId, 'first-task', run.firstTaskAt, () => {
    run.firstTaskAt = 0;
    if (run.status === 1 && run.wft.state === 'none') scheduleWorkflowTask(ctx, run, 1);
  });
}

function startedAttributes(run: WorkflowRun, p: StartParams, t: Timeouts) {
  const parent = p.parent;
  return {
    workflowType: { name: p.workflowType },
    taskQueue: { name: p.taskQueue, kind: api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    input: p.input ?? null,
    // Unset timeouts stay unset (nil), as on the real server: the SDK reports them as undefined, not 0.
    workflowExecutionTimeout: t.execution > 0 ? duration(t.execution) : null,
    workflowRunTimeout: t.run > 0 ? duration(t.run) : null,
    workflowTaskTimeout: duration(t.task),
    continuedExecutionRunId: p.continuedRunId ?? '',
    initiator: p.initiator ?? 0,
    continuedFailure: p.continuedFailure ?? null,
    lastCompletionResult: p.lastCompletionResult ?? null,
    originalExecutionRunId: run.runId,
    identity: p.identity ?? '',
    firstExecutionRunId: run.firstRunId,
    retryPolicy: p.retryPolicy ?? null,
    attempt: p.attempt ?? 1,
    workflowExecutionExpirationTime: run.executionDeadline > 0 ? timestamp(run.executionDeadline) : null,
    memo: Object.keys(run.memo).length > 0 ? { fields: run.memo } : null,
    searchAttributes: Object.keys(run.searchAttributes).length > 0 ? { indexedFields: run.searchAttributes } : null,
    header: (p.header as object | null) ?? null,
    parentWorkflowNamespace: parent?.namespace ?? '',
    parentWorkflowNamespaceId: parent ? parent.namespace : '',
    parentWorkflowExecution: parent ? { workflowId: parent.workflowId, runId: parent.runId } : null,
    parentInitiatedEventId: parent?.initiatedEventId ?? 0,
    workflowId: run.workflowId,
    firstWorkflowTaskBackoff: duration(p.firstTaskDelayMs ?? 0),
    priority: p.priority ?? null,
    rootWorkflowExecution: p.rootExecution?.workflowId ? p.rootExecution : null,
  };
}

/** The run named by an execution (latest run when the run id is empty), or NOT_FOUND. */
export function resolveRun(
  ctx: Ctx,
  namespace: string,
  execution: { workflowId?: string | null; runId?: string | null } | null | undefined,
): WorkflowRun {
  const workflowId = execution?.workflowId ?? '';
  const runId = execution?.runId || ctx.state.latest.get(workflowKey(namespace, workflowId));
  const run = runId ? ctx.state.runs.get(runId) : undefined;
  if (!run || run.workflowId !== workflowId || run.namespace !== namespace)
    throw workflowNotFound(workflowId, execution?.runId);
  return run;
}
