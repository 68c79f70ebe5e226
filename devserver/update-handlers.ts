// UpdateWorkflowExecution and PollWorkflowExecutionUpdate: admit an update (or find it by its id) and wait for the
// stage the caller asked for, up to the server's long-poll interval (then the stage reached so far is answered
// and the client asks again) or the caller's deadline (DEADLINE_EXCEEDED).
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { temporal } from '@temporalio/proto';
import { MAX_ID_LENGTH, requireNamespace } from './client-handlers';
import type { Ctx } from './context';
import { alreadyCompleted, GrpcError, invalidArgument } from './errors';
import { resolveRun } from './runs';
import { isClosed, type UpdateRecord, type UpdateRequest, type WorkflowRun } from './state';
import { admitUpdate, updateStatus, UpdateLifecycle, type UpdateStatus } from './updates';
import type { CallInfo } from './worker-handlers';

type UpdateWorkflowRequest = temporal.api.workflowservice.v1.IUpdateWorkflowExecutionRequest;
type PollUpdateRequest = temporal.api.workflowservice.v1.IPollWorkflowExecutionUpdateRequest;

/** The real server's `history.longPollExpirationInterval`. */
const LONG_POLL_MS = 20_000;
/** The workflow task attempt from which updates are refused fast (`failUpdateWorkflowTaskAttemptCount`). */
const FAILING_TASK_ATTEMPT = 3;
/** How often a caller's update follows its workflow into a new run (continue-as-new, retry) before giving up. */
const MAX_NEW_RUN_RETRIES = 5;

const notFound = (message: string) =>
  new GrpcError(GrpcStatus.NOT_FOUND, message, { type: 'NotFoundFailure', value: {} });

/** The frontend's checks of an UpdateWorkflowExecution request; returns the update request and the stage to wait for. */
export function validateUpdateRequest(req: UpdateWorkflowRequest): { request: UpdateRequest; waitStage: number } {
  if (!req.workflowExecution?.workflowId) throw invalidArgument('WorkflowId is not set on request.');
  const request = req.request;
  if (!request?.meta) throw invalidArgument('Update meta is not set on request.');
  if ((request.meta.updateId ?? '').length > MAX_ID_LENGTH) throw invalidArgument('UpdateId length exceeds limit.');
  // As on the real server, an update without an id gets one (and then cannot be deduplicated).
  if (!request.meta.updateId) request.meta.updateId = randomUUID();
  if (!request.input) throw invalidArgument('Update input is not set on request.');
  if (!request.input.name) throw invalidArgument('Update name is not set on request.');
  const waitStage = req.waitPolicy?.lifecycleStage || UpdateLifecycle.COMPLETED;
  if (waitStage === UpdateLifecycle.ADMITTED) {
    throw new GrpcError(
      GrpcStatus.PERMISSION_DENIED,
      'UpdateWorkflowExecution issued asynchronously and waiting on update admitted is not supported.',
      { type: 'PermissionDeniedFailure', value: {} },
    );
  }
  return { request, waitStage };
}

/** Finds the run an update goes to and admits the update there (or finds it, when its id is known already). */
export function admitToRun(
  ctx: Ctx,
  run: WorkflowRun,
  request: UpdateRequest,
  firstExecutionRunId?: string | null,
): UpdateRecord {
  if (firstExecutionRunId && run.firstRunId !== firstExecutionRunId) throw notFound('workflow execution not found');
  const updateId = request.meta?.updateId ?? '';
  if (isClosed(run)) {
    // The same update id on a closed run still gets its outcome; a new one is refused.
    const known = run.updates.get(updateId);
    if (known) return known;
    throw alreadyCompleted();
  }
  if (run.wft.attempt >= FAILING_TASK_ATTEMPT) {
    throw new GrpcError(
      GrpcStatus.FAILED_PRECONDITION,
      'Unable to perform workflow execution update due to Workflow Task in failed state.',
      { type: 'WorkflowNotReadyFailure', value: {} },
    );
  }
  return admitUpdate(ctx, run, request);
}

function reached(status: UpdateStatus, waitStage: number): boolean {
  if (!('stage' in status)) return true;
  if (status.stage === UpdateLifecycle.COMPLETED || waitStage <= UpdateLifecycle.ADMITTED) return true;
  return waitStage === UpdateLifecycle.ACCEPTED && status.stage >= UpdateLifecycle.ACCEPTED;
}

/**
 * Waits until the update reaches `waitStage` (UNSPECIFIED and ADMITTED answer at once), the long-poll interval ends
 * (the stage reached so far) or the caller's deadline passes (DEADLINE_EXCEEDED). An update aborted by a closing
 * workflow throws its error; one whose run continued as a new run returns `{ retry: true }`.
 */
export async function waitForStage(
  ctx: Ctx,
  run: WorkflowRun,
  record: UpdateRecord,
  waitStage: number,
  call: CallInfo,
): Promise<UpdateStatus> {
  const untilDeadline = call.deadlineMs - Date.now() - 50;
  const done = () => reached(updateStatus(run, record), waitStage);
  if (!done()) await ctx.waitUntil(run.runId, Math.max(0, Math.min(LONG_POLL_MS, untilDeadline)), done);
  const status = updateStatus(run, record);
  if ('error' in status) throw status.error;
  if (!reached(status, waitStage) && untilDeadline <= LONG_POLL_MS)
    throw new GrpcError(GrpcStatus.DEADLINE_EXCEEDED, 'context deadline exceeded');
  return status;
}

/** The UpdateWorkflowExecutionResponse (also PollWorkflowExecutionUpdateResponse) for a status. */
export function updateResponse(run: WorkflowRun, updateId: string, status: { stage: number; outcome?: unknown }) {
  return {
    updateRef: { workflowExecution: { workflowId: run.workflowId, runId: run.runId }, updateId },
    outcome: status.outcome ?? null,
    stage: status.stage,
  };
}

/** UpdateWorkflowExecution. */
export async function updateWorkflowExecution(ctx: Ctx, req: UpdateWorkflowRequest, call: CallInfo): Promise<object> {
  const namespace = requireNamespace(ctx, req.namespace);
  const { request, waitStage } = validateUpdateRequest(req);
  for (let attempt = 0; ; attempt++) {
    const run = resolveRun(ctx, namespace, req.workflowExecution);
    const record = admitToRun(ctx, run, request, req.firstExecutionRunId);
    const status = await waitForStage(ctx, run, record, waitStage, call);
    if ('stage' in status) return updateResponse(run, record.updateId, status);
    // The run continued as a new one before the workflow saw the update: it goes to the new run.
    if (attempt >= MAX_NEW_RUN_RETRIES) throw notFound('workflow update was aborted by closing workflow');
  }
}

/** PollWorkflowExecutionUpdate: waits for an update admitted earlier; unknown (or rejected) ones are NOT_FOUND. */
export async function pollWorkflowExecutionUpdate(ctx: Ctx, req: PollUpdateRequest, call: CallInfo): Promise<object> {
  const namespace = requireNamespace(ctx, req.namespace);
  if (!req.updateRef) throw invalidArgument('UpdateRef is not set on request.');
  const updateId = req.updateRef.updateId ?? '';
  const waitStage = req.waitPolicy?.lifecycleStage ?? UpdateLifecycle.UNSPECIFIED;
  for (let attempt = 0; ; attempt++) {
    const run = resolveRun(ctx, namespace, req.updateRef.workflowExecution);
    const record = run.updates.get(updateId);
    if (!record) throw notFound(`update "${updateId}" not found`);
    const status = await waitForStage(ctx, run, record, waitStage, call);
    if ('stage' in status) return updateResponse(run, updateId, status);
    if (attempt >= MAX_NEW_RUN_RETRIES) throw notFound(`update "${updateId}" not found`);
  }
}
