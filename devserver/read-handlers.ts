// Read-only client RPCs: history (paged, long-polled, close-event filter), describe, list and count.
import type { temporal } from '@temporalio/proto';
import { effectiveOptions, optionsMessage } from './activity-options';
import { autoResetPoints } from './auto-reset-points';
import { HistoryEventFilter, PendingActivityState, PendingWorkflowTaskState, QueueKind } from './codes';
import type { Ctx } from './context';
import { invalidArgument } from './errors';
import { historySizeBytes } from './history';
import { requireNamespace } from './client-handlers';
import { duration, num, timestamp, type HistoryEvent } from './proto';
import { resolveRun, rootExecutionOf } from './runs';
import { isClosed, type ActivityState, type WorkflowRun } from './state';
import { attributeType } from './search-attributes';
import { groupsByStatus, matches, resolveVisibilityQuery } from './visibility';

const LONG_POLL_MS = 20_000;
const DEFAULT_PAGE_SIZE = 1000;
// grpc-js refuses responses over 4 MB by default on the client side; keep pages well below.
const MAX_PAGE_BYTES = 2 * 1024 * 1024;

function decodeOffset(token: Uint8Array | null | undefined): number {
  if (!token || token.length === 0) return 0;
  const offset = Number(Buffer.from(token).toString());
  if (!Number.isInteger(offset) || offset < 0)
    throw invalidArgument('invalid next page token: pass the token from the previous page.');
  return offset;
}

function longPollMs(deadlineMs: number): number {
  return Math.max(0, Math.min(LONG_POLL_MS, deadlineMs - Date.now() - 1000));
}

/** GetWorkflowExecutionHistory. */
export async function getHistory(
  ctx: Ctx,
  req: temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryRequest,
  deadlineMs: number,
): Promise<object> {
  const run = resolveRun(ctx, requireNamespace(ctx, req.namespace), req.execution);
  if (req.historyEventFilterType === HistoryEventFilter.CLOSE_EVENT) {
    if (!isClosed(run) && req.waitNewEvent) await ctx.waitUntil(run.runId, longPollMs(deadlineMs), () => isClosed(run));
    return { history: { events: isClosed(run) ? [run.history[run.history.length - 1]] : [] } };
  }
  const offset = decodeOffset(req.nextPageToken);
  if (req.waitNewEvent && offset >= run.history.length && !isClosed(run)) {
    await ctx.waitUntil(run.runId, longPollMs(deadlineMs), () => run.history.length > offset || isClosed(run));
  }
  const pageSize = num(req.maximumPageSize) || DEFAULT_PAGE_SIZE;
  const events: HistoryEvent[] = [];
  let bytes = 0;
  for (let i = offset; i < run.history.length && events.length < pageSize; i++) {
    const event = run.history[i]!;
    bytes += estimateSize(event);
    if (events.length > 0 && bytes > MAX_PAGE_BYTES) break;
    events.push(event);
  }
  const end = offset + events.length;
  const more = end < run.history.length || (req.waitNewEvent && !isClosed(run));
  return { history: { events }, nextPageToken: more ? Buffer.from(String(end)) : Buffer.alloc(0) };
}

function estimateSize(event: HistoryEvent): number {
  return JSON.stringify(event, (_k, v: unknown) => (v instanceof Uint8Array ? 'x'.repeat(v.length) : v)).length;
}

/** The WorkflowExecutionInfo of a run, as describe and list return it. */
export function executionInfo(ctx: Ctx, run: WorkflowRun): object {
  const parent = run.parent;
  return {
    execution: { workflowId: run.workflowId, runId: run.runId },
    type: { name: run.workflowType },
    startTime: timestamp(run.startTime),
    closeTime: run.closeTime ? timestamp(run.closeTime) : null,
    status: run.status,
    historyLength: run.history.length,
    parentNamespaceId: parent ? parent.namespace : '',
    parentExecution: parent ? { workflowId: parent.workflowId, runId: parent.runId } : null,
    executionTime: timestamp(run.executionTime),
    memo: { fields: run.memo },
    searchAttributes: { indexedFields: run.searchAttributes },
    taskQueue: run.taskQueue,
    stateTransitionCount: run.history.length,
    firstRunId: run.firstRunId,
    executionDuration: run.closeTime ? duration(run.closeTime - run.executionTime) : null,
    rootExecution: rootExecutionOf(run),
    priority: run.history[0]?.workflowExecutionStartedEventAttributes?.priority ?? null,
    // The same measure as the workflow task's history_size_bytes, over the whole history so far.
    historySizeBytes: historySizeBytes(run),
    autoResetPoints: autoResetPoints(ctx, run),
  };
}

function activityState(act: ActivityState): number {
  if (act.cancelRequested) return PendingActivityState.CANCEL_REQUESTED;
  if (act.paused) return act.state === 'started' ? PendingActivityState.PAUSE_REQUESTED : PendingActivityState.PAUSED;
  return act.state === 'started' ? PendingActivityState.STARTED : PendingActivityState.SCHEDULED;
}

/** A pending activity as describe reports it, with its pause and effective options. */
function pendingActivity(run: WorkflowRun, act: ActivityState): object {
  const sched = run.history[act.scheduledEventId - 1]?.activityTaskScheduledEventAttributes;
  const options = effectiveOptions(run, act);
  const pause = act.paused;
  return {
    activityId: act.activityId,
    activityType: sched?.activityType ?? null,
    state: activityState(act),
    heartbeatDetails: act.heartbeatDetails,
    lastHeartbeatTime: act.lastHeartbeat ? timestamp(act.lastHeartbeat) : null,
    lastStartedTime: act.startedTime ? timestamp(act.startedTime) : null,
    attempt: act.attempt,
    maximumAttempts: options.retry.maximumAttempts,
    scheduledTime: timestamp(act.attemptScheduledTime),
    lastFailure: act.lastFailure,
    lastWorkerIdentity: act.startedIdentity,
    paused: !!pause,
    pauseInfo: pause
      ? { pauseTime: timestamp(pause.time), manual: { identity: pause.identity, reason: pause.reason } }
      : null,
    activityOptions: optionsMessage(options),
  };
}

/** DescribeWorkflowExecution. */
export function describeWorkflow(
  ctx: Ctx,
  req: temporal.api.workflowservice.v1.IDescribeWorkflowExecutionRequest,
): object {
  const run = resolveRun(ctx, requireNamespace(ctx, req.namespace), req.execution);
  const started = run.history[0]?.workflowExecutionStartedEventAttributes;
  return {
    executionConfig: {
      taskQueue: { name: run.taskQueue, kind: QueueKind.NORMAL },
      workflowExecutionTimeout: started?.workflowExecutionTimeout ?? null,
      workflowRunTimeout: started?.workflowRunTimeout ?? null,
      defaultWorkflowTaskTimeout: duration(run.workflowTaskTimeoutMs),
      userMetadata: run.history[0]?.userMetadata ?? null,
    },
    workflowExecutionInfo: executionInfo(ctx, run),
    workflowExtendedInfo: { resetRunId: run.resetRunId ?? '', cancelRequested: run.cancelRequested },
    pendingActivities: [...run.activities.values()].map((act) => pendingActivity(run, act)),
    pendingChildren: [...run.children.values()].map((c) => ({
      workflowId: c.workflowId,
      runId: c.runId,
      workflowTypeName: c.workflowType,
      initiatedId: c.initiatedEventId,
      parentClosePolicy: c.parentClosePolicy,
    })),
    pendingWorkflowTask:
      run.wft.state === 'none' || isClosed(run)
        ? null
        : {
            state: run.wft.state === 'started' ? PendingWorkflowTaskState.STARTED : PendingWorkflowTaskState.SCHEDULED,
            scheduledTime: timestamp(run.wft.scheduledTime),
            attempt: run.wft.attempt,
          },
  };
}

function filteredRuns(ctx: Ctx, namespace: string, query: string | null | undefined, purpose: 'list' | 'count') {
  const resolved = resolveVisibilityQuery(query, (name) => attributeType(ctx, namespace, name), purpose);
  const live = [...ctx.state.runs.values()].filter((r) => r.namespace === namespace);
  const candidates = [...live, ...(ctx.state.archive?.closedRuns(namespace) ?? [])];
  const runs = candidates.filter((r) => matches(resolved.filter, r));
  runs.sort((a, b) => b.startTime - a.startTime || (a.runId < b.runId ? 1 : -1));
  return { runs, grouped: resolved.groupBy.length > 0 };
}

/** ListWorkflowExecutions, newest first, offset-paged. */
export function listWorkflows(ctx: Ctx, req: temporal.api.workflowservice.v1.IListWorkflowExecutionsRequest): object {
  const { runs } = filteredRuns(ctx, requireNamespace(ctx, req.namespace), req.query, 'list');
  const offset = decodeOffset(req.nextPageToken);
  const pageSize = req.pageSize || 1000;
  const page = runs.slice(offset, offset + pageSize);
  const end = offset + page.length;
  return {
    // Runs read from disk for filtering carry no history; the page's runs are read whole.
    executions: page.map((r) => executionInfo(ctx, ctx.state.runs.get(r.runId) ?? r)),
    nextPageToken: end < runs.length ? Buffer.from(String(end)) : Buffer.alloc(0),
  };
}

/** CountWorkflowExecutions; with `GROUP BY ExecutionStatus`, also the count of each status. */
export function countWorkflows(ctx: Ctx, req: temporal.api.workflowservice.v1.ICountWorkflowExecutionsRequest): object {
  const { runs, grouped } = filteredRuns(ctx, requireNamespace(ctx, req.namespace), req.query, 'count');
  return { count: runs.length, groups: grouped ? groupsByStatus(runs) : [] };
}
