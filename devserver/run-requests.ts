// Signals and cancel requests delivered to a run, from clients and from other workflows (buffered while a workflow
// task is in flight).
import type { Ctx } from './context';
import { alreadyCompleted } from './errors';
import { addEvent } from './history';
import type { Payloads } from './proto';
import { isClosed, type WorkflowRun } from './state';

/** Writes WorkflowExecutionSignaled (buffered while a task is in flight). */
export function signalRun(
  ctx: Ctx,
  run: WorkflowRun,
  signal: {
    signalName: string;
    input?: Payloads | null;
    identity?: string;
    header?: unknown;
    external?: { initiatedEventId: number; workflowId: string; runId: string; namespace: string };
  },
): void {
  if (isClosed(run)) throw alreadyCompleted();
  addEvent(ctx, run, 'WorkflowExecutionSignaled', {
    signalName: signal.signalName,
    input: signal.input ?? null,
    identity: signal.identity ?? '',
    header: (signal.header as object | null) ?? null,
    externalWorkflowExecution: signal.external
      ? { workflowId: signal.external.workflowId, runId: signal.external.runId }
      : null,
  });
}

/** Writes WorkflowExecutionCancelRequested once; later requests are accepted without a new event. */
export function requestCancelRun(
  ctx: Ctx,
  run: WorkflowRun,
  req: {
    reason?: string;
    identity?: string;
    external?: { initiatedEventId: number; workflowId: string; runId: string };
  },
): void {
  if (isClosed(run)) throw alreadyCompleted();
  if (run.cancelRequested) return;
  run.cancelRequested = true;
  addEvent(ctx, run, 'WorkflowExecutionCancelRequested', {
    cause: req.reason ?? '',
    identity: req.identity ?? '',
    externalInitiatedEventId: req.external?.initiatedEventId ?? 0,
    externalWorkflowExecution: req.external ? { workflowId: req.external.workflowId, runId: req.external.runId } : null,
  });
}
