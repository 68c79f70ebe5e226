// Closing runs: the close event, the parent's child event, the parent-close policy, terminate and timeouts
// (continue-as-new is in continue-as-new.ts).
import { ParentClose, RetryState, Status, TaskFailedCause } from './codes';
import type { Ctx } from './context';
import { alreadyCompleted } from './errors';
import { append, flushBuffer, materializeTransient, runGroup } from './history';
import { notifyParent } from './parent-notice';
import type { AttrsOf, Failure } from './proto';
import { dispatchQueries } from './queries';
import { requestCancelRun } from './run-requests';
import { createRun, type StartParams } from './runs';
import { isClosed, workflowKey, type WorkflowRun } from './state';
import { abortUpdatesOnClose } from './updates';
import { retryStartParams, workflowRetryPlan } from './workflow-retry';

type CloseName =
  | 'WorkflowExecutionCompleted'
  | 'WorkflowExecutionFailed'
  | 'WorkflowExecutionCanceled'
  | 'WorkflowExecutionTerminated'
  | 'WorkflowExecutionTimedOut'
  | 'WorkflowExecutionContinuedAsNew';

const STATUS_OF: Record<CloseName, number> = {
  WorkflowExecutionCompleted: Status.COMPLETED,
  WorkflowExecutionFailed: Status.FAILED,
  WorkflowExecutionCanceled: Status.CANCELED,
  WorkflowExecutionTerminated: Status.TERMINATED,
  WorkflowExecutionTimedOut: Status.TIMED_OUT,
  WorkflowExecutionContinuedAsNew: Status.CONTINUED_AS_NEW,
};

/** Fails an in-flight workflow task with FORCE_CLOSE_COMMAND and writes what was buffered behind it. */
function forceCloseTask(ctx: Ctx, run: WorkflowRun): void {
  if (run.wft.state !== 'started') return;
  materializeTransient(ctx, run);
  append(run, 'WorkflowTaskFailed', {
    scheduledEventId: run.wft.scheduledEventId,
    startedEventId: run.wft.startedEventId,
    cause: TaskFailedCause.FORCE_CLOSE_COMMAND,
  });
  flushBuffer(run);
}

/** The identity of the real server's workflow resetter, which terminates the current run of a reset. */
export const RESETTER = 'history-resetter';

/** Writes the close event, stops every deadline of the run, tells the parent and applies parent-close policies. */
export function closeRun<N extends CloseName>(ctx: Ctx, run: WorkflowRun, name: N, attrs: AttrsOf<N>): void {
  const retry = planRetry(run, name, attrs as Record<string, unknown>);
  append(run, name, attrs);
  run.status = STATUS_OF[name];
  run.closeTime = Date.now();
  run.wft = { ...run.wft, state: 'none' };
  run.buffered = [];
  run.activities.clear();
  run.timers.clear();
  abortUpdatesOnClose(run, name === 'WorkflowExecutionContinuedAsNew' || retry !== null);
  ctx.scheduler.cancelGroup(runGroup(run));
  // A run terminated by a reset tells its parent nothing; its children carry on with the reset run.
  const byReset = name === 'WorkflowExecutionTerminated' && (attrs as { identity?: string }).identity === RESETTER;
  if (name !== 'WorkflowExecutionContinuedAsNew' && !retry && !byReset)
    notifyParent(ctx, run, name, attrs as Record<string, unknown>);
  if (byReset && run.resetRunId) run.children.clear();
  else applyParentClosePolicies(ctx, run);
  ctx.changed(run);
  dispatchQueries(ctx, run);
  if (retry) startRun(ctx, retry);
}

/** True when the run closed into a new run of its chain (continue-as-new or a workflow retry). */
export function closedIntoNewRun(run: WorkflowRun): boolean {
  const close = run.history[run.history.length - 1];
  return !!(
    close?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ||
    close?.workflowExecutionFailedEventAttributes?.newExecutionRunId ||
    close?.workflowExecutionTimedOutEventAttributes?.newExecutionRunId
  );
}

function reachedExecutionTimeout(run: WorkflowRun): boolean {
  return run.executionDeadline > 0 && run.runDeadline >= run.executionDeadline;
}

/** For a failed or timed-out run with a retry policy: the next attempt, announced in the close event's attrs. */
function planRetry(run: WorkflowRun, name: CloseName, attrs: Record<string, unknown>): StartParams | null {
  if (name !== 'WorkflowExecutionFailed' && name !== 'WorkflowExecutionTimedOut') return null;
  // As on the real server, a run that reached its execution timeout is never retried: the chain ends in TIMEOUT,
  // whatever attempts its retry policy has left.
  if (name === 'WorkflowExecutionTimedOut' && reachedExecutionTimeout(run)) return null;
  const failure = (attrs.failure as Failure | null) ?? {
    message: 'workflow run timed out',
    timeoutFailureInfo: { timeoutType: 1 },
  };
  const plan = workflowRetryPlan(run, failure);
  if (!('delayMs' in plan)) {
    if (run.history[0]?.workflowExecutionStartedEventAttributes?.retryPolicy) attrs.retryState = plan.state;
    return null;
  }
  const params = retryStartParams(run, failure, plan.delayMs);
  attrs.retryState = RetryState.IN_PROGRESS;
  attrs.newExecutionRunId = params.runId;
  return params;
}

function applyParentClosePolicies(ctx: Ctx, run: WorkflowRun): void {
  for (const child of run.children.values()) {
    const latestId = ctx.state.latest.get(workflowKey(child.namespace, child.workflowId));
    const target = latestId ? ctx.state.runs.get(latestId) : undefined;
    if (!target || isClosed(target) || target.firstRunId !== child.runId) continue;
    target.parent = null;
    if (child.parentClosePolicy === ParentClose.ABANDON) continue;
    if (child.parentClosePolicy === ParentClose.REQUEST_CANCEL) {
      requestCancelRun(ctx, target, { reason: 'by parent close policy', identity: 'devserver' });
    } else {
      terminateRun(ctx, target, { reason: 'by parent close policy', identity: 'devserver' });
    }
  }
  run.children.clear();
}

/**
 * Fails the started workflow task and terminates the run, as the real server does for a command whose payload is
 * over the size limits: WorkflowTaskFailed with the cause, what was buffered, then WorkflowExecutionTerminated.
 */
export function failTaskAndTerminate(
  ctx: Ctx,
  run: WorkflowRun,
  problem: { cause: number; message: string },
  identity: string,
): void {
  materializeTransient(ctx, run);
  append(run, 'WorkflowTaskFailed', {
    scheduledEventId: run.wft.scheduledEventId,
    startedEventId: run.wft.startedEventId,
    cause: problem.cause,
    identity,
    failure: { message: problem.message, serverFailureInfo: { nonRetryable: false } },
  });
  run.wft = { ...run.wft, state: 'none' };
  flushBuffer(run);
  closeRun(ctx, run, 'WorkflowExecutionTerminated', {
    reason: problem.message,
    details: null,
    identity: 'history-service',
  });
}

/** Terminates a running run (TerminateWorkflowExecution, TERMINATE_EXISTING, parent-close TERMINATE). */
export function terminateRun(
  ctx: Ctx,
  run: WorkflowRun,
  req: { reason?: string; details?: unknown; identity?: string },
): void {
  if (isClosed(run)) throw alreadyCompleted();
  forceCloseTask(ctx, run);
  closeRun(ctx, run, 'WorkflowExecutionTerminated', {
    reason: req.reason ?? '',
    details: (req.details as AttrsOf<'WorkflowExecutionTerminated'>['details']) ?? null,
    identity: req.identity ?? '',
  });
}

/** Times a run out (run timeout or execution timeout reached). */
export function timeOutRun(ctx: Ctx, run: WorkflowRun): void {
  if (isClosed(run)) return;
  forceCloseTask(ctx, run);
  closeRun(ctx, run, 'WorkflowExecutionTimedOut', { retryState: RetryState.TIMEOUT });
}

/** Arms the run's run/execution timeout. */
export function armRunTimeout(ctx: Ctx, run: WorkflowRun): void {
  if (run.runDeadline > 0 && !isClosed(run)) {
    ctx.scheduler.at(runGroup(run), 'run-timeout', run.runDeadline, () => timeOutRun(ctx, run));
  }
}

/** Starts a run and arms its timeout. */
export function startRun(ctx: Ctx, params: StartParams): WorkflowRun {
  const run = createRun(ctx, params);
  armRunTimeout(ctx, run);
  return run;
}
