// ResetWorkflowExecution and ResetStickyTaskQueue. A reset starts a new run whose history is the base run's up to
// the chosen workflow task, then that task failed with RESET_WORKFLOW; the current run is terminated, and the
// signals and child events after the reset point are written again (reset-reapply.ts), as the real server's
// workflow resetter does.
import { randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { enqueueAttempt } from './activity-outcomes';
import { newActivityState } from './activity-tasks';
import { recordBuildIds } from './build-ids';
import { requireNamespace } from './client-handlers';
import { armRunTimeout, RESETTER, terminateRun } from './closing';
import { ResetReapplyExcludeType, ResetReapplyType, Status, TaskFailedCause } from './codes';
import { armTimer } from './timers';
import type { Ctx } from './context';
import { alreadyCompleted, invalidArgument } from './errors';
import { append, scheduleWorkflowTask } from './history';
import { num, toMs, type HistoryEvent } from './proto';
import { resetPointOf, type ResetPoint } from './reset-point';
import { eventsToReapply, reapplyEvents, restoreChildren } from './reset-reapply';
import { resolveRun } from './runs';
import { isClosed, workflowKey, type WorkflowRun } from './state';
import { clearStickyQueue } from './sticky-queues';

type ResetRequest = temporal.api.workflowservice.v1.IResetWorkflowExecutionRequest;

/**
 * ResetStickyTaskQueue: the run's next tasks go to the normal queue with full history. As on the real server, a task
 * already waiting on the sticky queue is not moved: its schedule-to-start timeout moves it.
 */
export function resetStickyTaskQueue(
  ctx: Ctx,
  req: temporal.api.workflowservice.v1.IResetStickyTaskQueueRequest,
): object {
  const run = resolveRun(ctx, requireNamespace(ctx, req.namespace), req.execution);
  if (isClosed(run)) throw alreadyCompleted();
  clearStickyQueue(run);
  return {};
}

function checkRequest(req: ResetRequest): string {
  if (!req.requestId) throw invalidArgument('RequestId is not set on request.');
  if (!req.workflowExecution) throw invalidArgument('Execution is not set on request.');
  if (!req.workflowExecution.workflowId) throw invalidArgument('WorkflowId is not set on request.');
  return req.requestId;
}

function checkPoint(point: ResetPoint, finishId: number): void {
  if (!point.workflowTask) {
    throw invalidArgument(
      `Can only reset workflow to event ID in range [WorkflowTaskScheduled +1, WorkflowTaskStarted + 1]: ${finishId}`,
    );
  }
}

function reappliesSignals(req: ResetRequest): boolean {
  if (req.resetReapplyType === ResetReapplyType.NONE) return false;
  return !(req.resetReapplyExcludeTypes ?? []).includes(ResetReapplyExcludeType.SIGNAL);
}

/** ResetWorkflowExecution: returns the new run's id (the same for a repeated request id). */
export function resetWorkflow(ctx: Ctx, req: ResetRequest): object {
  const requestId = checkRequest(req);
  const namespace = requireNamespace(ctx, req.namespace);
  const base = resolveRun(ctx, namespace, req.workflowExecution);
  const currentId = ctx.state.latest.get(workflowKey(namespace, base.workflowId));
  const current = currentId ? ctx.state.runs.get(currentId) : undefined;
  if (current?.requestIds.includes(requestId)) return { runId: current.runId };
  const finishId = num(req.workflowTaskFinishEventId);
  if (finishId <= 1 || finishId > base.history.length)
    throw invalidArgument('Workflow task finish ID must be > 1 && <= workflow last event ID.');
  const kept = base.history.slice(0, finishId - 1);
  const point = resetPointOf(kept);
  checkPoint(point, finishId);
  const reason = req.reason ?? '';
  // Linked first, so the base run's children (kept by the new run) report there and are not closed with it.
  const runId = randomUUID();
  base.resetRunId = runId;
  ctx.changed(base);
  if (current && !isClosed(current)) terminateRun(ctx, current, { reason, identity: RESETTER });
  const reapplied = eventsToReapply(ctx, base, finishId, reappliesSignals(req));
  const run = createResetRun(ctx, base, kept, point, { runId, requestId });
  failResetTask(run, point, base.runId, reason);
  reapplyEvents(run, reapplied);
  restorePending(ctx, run, point);
  scheduleWorkflowTask(ctx, run, 1);
  armRunTimeout(ctx, run);
  ctx.changed(run);
  return { runId: run.runId };
}

/** The new run: the base run's history up to the point, its state as that history leaves it. */
function createResetRun(
  ctx: Ctx,
  base: WorkflowRun,
  kept: HistoryEvent[],
  point: ResetPoint,
  ids: { runId: string; requestId: string },
): WorkflowRun {
  const now = Date.now();
  const runTimeoutMs = toMs(kept[0]?.workflowExecutionStartedEventAttributes?.workflowRunTimeout);
  const runDeadline = runTimeoutMs > 0 ? now + runTimeoutMs : 0;
  const run: WorkflowRun = {
    ...base,
    runId: ids.runId,
    status: Status.RUNNING,
    requestIds: [ids.requestId],
    startTime: now,
    executionTime: now,
    closeTime: 0,
    history: [...kept],
    buffered: [],
    links: {},
    wft: { ...base.wft, state: 'none', scheduledEventId: 0, startedEventId: 0, attempt: 1, transient: false },
    lastCompletedStartedEventId: point.lastCompletedStartedEventId,
    runDeadline:
      base.executionDeadline > 0 && runDeadline > 0 ? Math.min(runDeadline, base.executionDeadline) : runDeadline,
    activities: new Map(),
    timers: new Map(),
    children: new Map(),
    searchAttributes: point.searchAttributes,
    memo: point.memo,
    cancelRequested: point.cancelRequested,
    queries: [],
    firstTaskAt: 0,
    newExecutionRunId: '',
    updates: new Map(),
    resetRunId: undefined,
  };
  restoreChildren(run, point.children);
  for (const e of kept) {
    const done = e.workflowTaskCompletedEventAttributes;
    if (done) recordBuildIds(run, { workerVersionStamp: done.workerVersion, binaryChecksum: done.binaryChecksum });
  }
  ctx.state.runs.set(run.runId, run);
  ctx.state.latest.set(workflowKey(run.namespace, run.workflowId), run.runId);
  return run;
}

/** Starts the task pending at the point if it was only scheduled, then fails it with RESET_WORKFLOW. */
function failResetTask(run: WorkflowRun, point: ResetPoint, baseRunId: string, reason: string): void {
  const task = point.workflowTask!;
  const startedEventId =
    task.startedEventId ||
    Number(
      append(run, 'WorkflowTaskStarted', {
        scheduledEventId: task.scheduledEventId,
        identity: 'history-service',
        requestId: randomUUID(),
      }).eventId,
    );
  append(run, 'WorkflowTaskFailed', {
    scheduledEventId: task.scheduledEventId,
    startedEventId,
    cause: TaskFailedCause.RESET_WORKFLOW,
    failure: { message: reason, resetWorkflowFailureInfo: {} },
    identity: 'history-service',
    baseRunId,
    newRunId: run.runId,
    forkEventVersion: 0,
  });
}

/** Queues the activities that had not run at the point (from attempt 1, as if scheduled now) and re-arms timers. */
function restorePending(ctx: Ctx, run: WorkflowRun, point: ResetPoint): void {
  for (const { event, cancelRequestedEventId } of point.activities) {
    const a = event.activityTaskScheduledEventAttributes!;
    const id = Number(event.eventId);
    const act = newActivityState(
      id,
      a.activityId || String(id),
      a.taskQueue?.name || run.taskQueue,
      toMs(a.scheduleToCloseTimeout),
    );
    act.cancelRequested = cancelRequestedEventId > 0;
    act.cancelRequestedEventId = cancelRequestedEventId;
    run.activities.set(id, act);
    enqueueAttempt(ctx, run, act);
  }
  for (const event of point.timers) {
    const a = event.timerStartedEventAttributes!;
    const fireAt = toMs(event.eventTime) + toMs(a.startToFireTimeout);
    const timer = { timerId: a.timerId ?? '', startedEventId: Number(event.eventId), fireAt };
    run.timers.set(timer.timerId, timer);
    armTimer(ctx, run, timer);
  }
}
