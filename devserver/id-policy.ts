// Workflow id reuse (closed runs) and conflict (running run) policies, shared by client starts and child starts.
import { Status } from './codes';
import type { Ctx } from './context';
import { alreadyStarted, type GrpcError } from './errors';
import { terminateRun } from './closing';
import { isClosed, workflowKey, type WorkflowRun } from './state';

const REUSE = {
  ALLOW_DUPLICATE: 1,
  ALLOW_DUPLICATE_FAILED_ONLY: 2,
  REJECT_DUPLICATE: 3,
  TERMINATE_IF_RUNNING: 4,
} as const;
const CONFLICT = { FAIL: 1, USE_EXISTING: 2, TERMINATE_EXISTING: 3 } as const;

/** What a start should do about an existing run with the same id. */
export type StartDecision =
  { kind: 'start' } | { kind: 'existing'; run: WorkflowRun; started: boolean } | { kind: 'reject'; error: GrpcError };

/** Applies request-id idempotency, the conflict policy (running run) and the reuse policy (closed run). */
export function decideStart(
  ctx: Ctx,
  p: {
    namespace: string;
    workflowId: string;
    requestId: string;
    reusePolicy: number;
    conflictPolicy: number;
    defaultConflict?: number;
  },
): StartDecision {
  const latestId = ctx.state.latest.get(workflowKey(p.namespace, p.workflowId));
  const existing = latestId ? ctx.state.runs.get(latestId) : undefined;
  if (!existing) return { kind: 'start' };
  if (p.requestId && existing.requestIds.includes(p.requestId))
    return { kind: 'existing', run: existing, started: true };
  if (!isClosed(existing)) return decideRunning(ctx, existing, p);
  const failedStatuses: number[] = [Status.FAILED, Status.CANCELED, Status.TERMINATED, Status.TIMED_OUT];
  if (p.reusePolicy === REUSE.REJECT_DUPLICATE) {
    return { kind: 'reject', error: finishedError(existing, p.requestId, 'REJECT_DUPLICATE') };
  }
  if (p.reusePolicy === REUSE.ALLOW_DUPLICATE_FAILED_ONLY && !failedStatuses.includes(existing.status)) {
    return { kind: 'reject', error: finishedError(existing, p.requestId, 'ALLOW_DUPLICATE_FAILED_ONLY') };
  }
  return { kind: 'start' };
}

function decideRunning(
  ctx: Ctx,
  existing: WorkflowRun,
  p: { requestId: string; reusePolicy: number; conflictPolicy: number; defaultConflict?: number },
): StartDecision {
  const conflict =
    p.conflictPolicy ||
    (p.reusePolicy === REUSE.TERMINATE_IF_RUNNING ? CONFLICT.TERMINATE_EXISTING : (p.defaultConflict ?? CONFLICT.FAIL));
  if (conflict === CONFLICT.USE_EXISTING) {
    existing.requestIds.push(p.requestId);
    return { kind: 'existing', run: existing, started: false };
  }
  if (conflict === CONFLICT.TERMINATE_EXISTING) {
    terminateRun(ctx, existing, {
      reason: 'terminated by a new start with the TERMINATE_EXISTING policy',
      identity: 'devserver',
    });
    return { kind: 'start' };
  }
  const message = `Workflow execution is already running. WorkflowId: ${existing.workflowId}, RunId: ${existing.runId}.`;
  return { kind: 'reject', error: alreadyStarted(message, existing.requestIds[0] ?? '', existing.runId) };
}

function finishedError(existing: WorkflowRun, requestId: string, policy: string): GrpcError {
  const message = `Workflow execution already finished and its ID reuse policy ${policy} does not allow starting it again. WorkflowId: ${existing.workflowId}, RunId: ${existing.runId}.`;
  return alreadyStarted(message, requestId, existing.runId);
}
