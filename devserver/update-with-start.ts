// ExecuteMultiOperation: update-with-start (the only multi-operation the real server accepts, exactly
// [StartWorkflow, UpdateWorkflow]). The update goes to the running workflow when the start is a retry, the update
// is known there or the conflict policy is USE_EXISTING; otherwise the workflow is started and the update delivered
// in its first workflow task. Failures name each operation's status (MultiOperationExecutionFailure).
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { temporal } from '@temporalio/proto';
import { requireNamespace, startParams } from './client-handlers';
import { startRun } from './closing';
import type { Ctx } from './context';
import { GrpcError, invalidArgument } from './errors';
import { decideStart } from './id-policy';
import { protoRoot } from './proto';
import type { StartParams } from './runs';
import { isClosed, workflowKey, type UpdateRequest, type WorkflowRun } from './state';
import { admitToRun, updateResponse, validateUpdateRequest, waitForStage } from './update-handlers';
import { admitUpdate, updateStatus, UpdateLifecycle } from './updates';
import type { CallInfo } from './worker-handlers';

type MultiOperationRequest = temporal.api.workflowservice.v1.IExecuteMultiOperationRequest;
type StartRequest = temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest;
type UpdateWorkflowRequest = temporal.api.workflowservice.v1.IUpdateWorkflowExecutionRequest;

/** One operation's outcome inside a failed multi-operation: failed, aborted because the other failed, or fine. */
type OperationResult = GrpcError | 'aborted' | 'ok';

const CONFLICT_USE_EXISTING = 2;

function anyOf(typeName: string, value: object): { type_url: string; value: Uint8Array } {
  const type = protoRoot.lookupType(typeName);
  return { type_url: `type.googleapis.com/${typeName}`, value: type.encode(type.fromObject(value)).finish() };
}

function operationStatus(result: OperationResult): object {
  if (result === 'ok') return { code: GrpcStatus.OK, message: '', details: [] };
  if (result === 'aborted') {
    const aborted = anyOf('temporal.api.failure.v1.MultiOperationExecutionAborted', {});
    return { code: GrpcStatus.ABORTED, message: 'Operation was aborted.', details: [aborted] };
  }
  const details = result.detail
    ? [anyOf(`temporal.api.errordetails.v1.${result.detail.type}`, result.detail.value)]
    : [];
  return { code: result.code, message: result.message, details };
}

/** The error of a failed update-with-start: the first failed operation's code, every operation's status. */
function multiOperationError(start: OperationResult, update: OperationResult): GrpcError {
  const failed = [start, update].find((r): r is GrpcError => r instanceof GrpcError);
  return new GrpcError(failed?.code ?? GrpcStatus.ABORTED, 'Update-with-Start could not be executed.', {
    type: 'MultiOperationExecutionFailure',
    value: { statuses: [operationStatus(start), operationStatus(update)] },
  });
}

function checked<T>(check: () => T): T | GrpcError {
  try {
    return check();
  } catch (err) {
    if (err instanceof GrpcError) return err;
    throw err;
  }
}

function checkStart(ctx: Ctx, req: StartRequest): StartParams {
  const params = startParams(ctx, req);
  if (req.cronSchedule) throw invalidArgument('CronSchedule is not allowed.');
  if (req.requestEagerExecution) throw invalidArgument('RequestEagerExecution is not supported.');
  if (params.firstTaskDelayMs) throw invalidArgument('WorkflowStartDelay is not supported.');
  return params;
}

function checkUpdate(req: UpdateWorkflowRequest, workflowId: string | null | undefined) {
  const checked = validateUpdateRequest(req);
  if (req.firstExecutionRunId) throw invalidArgument('FirstExecutionRunId is not allowed.');
  if (req.workflowExecution?.runId) throw invalidArgument('RunId is not allowed.');
  if (req.workflowExecution?.workflowId !== workflowId)
    throw invalidArgument('WorkflowId is not consistent with previous operation(s).');
  return checked;
}

/** What ExecuteMultiOperation runs, once both operations passed the frontend's checks. */
interface UpdateWithStart {
  params: StartParams;
  conflictPolicy: number;
  reusePolicy: number;
  request: UpdateRequest;
  waitStage: number;
}

function checkOperations(ctx: Ctx, req: MultiOperationRequest): UpdateWithStart {
  const [first, second] = req.operations ?? [];
  if ((req.operations ?? []).length !== 2 || !first?.startWorkflow || !second?.updateWorkflow)
    throw invalidArgument('Operations have to be exactly [Start, Update].');
  const start = checked(() => checkStart(ctx, first.startWorkflow!));
  const update = checked(() => checkUpdate(second.updateWorkflow!, first.startWorkflow!.workflowId));
  if (start instanceof GrpcError || update instanceof GrpcError)
    throw multiOperationError(
      start instanceof GrpcError ? start : 'aborted',
      update instanceof GrpcError ? update : 'aborted',
    );
  return {
    params: start,
    conflictPolicy: first.startWorkflow.workflowIdConflictPolicy ?? 0,
    reusePolicy: first.startWorkflow.workflowIdReusePolicy ?? 0,
    request: update.request,
    waitStage: update.waitStage,
  };
}

function response(run: WorkflowRun, started: boolean, updateId: string, status: UpdateStatusReached): object {
  return {
    responses: [
      { startWorkflow: { runId: run.runId, started, status: run.status } },
      { updateWorkflow: updateResponse(run, updateId, status) },
    ],
  };
}

type UpdateStatusReached = { stage: number; outcome?: unknown };
/** An update-with-start's answer, or 'again' when the workflow it joined closed before seeing the update. */
type Attempt = object | 'again';

function isAbortedByClose(err: unknown): boolean {
  return (
    err instanceof GrpcError && err.code === GrpcStatus.NOT_FOUND && /aborted by closing workflow/.test(err.message)
  );
}

/** The running workflow the update joins instead of starting one: a retried start, a known update, USE_EXISTING. */
function joinableRun(run: WorkflowRun | undefined, op: UpdateWithStart): WorkflowRun | undefined {
  if (!run || isClosed(run)) return undefined;
  const retriedStart = run.requestIds.includes(op.params.requestId);
  const knownUpdate = run.updates.has(op.request.meta?.updateId ?? '');
  return retriedStart || knownUpdate || op.conflictPolicy === CONFLICT_USE_EXISTING ? run : undefined;
}

async function updateExisting(ctx: Ctx, run: WorkflowRun, op: UpdateWithStart, call: CallInfo): Promise<Attempt> {
  const updateId = op.request.meta?.updateId ?? '';
  try {
    const record = admitToRun(ctx, run, op.request);
    const status = await waitForStage(ctx, run, record, op.waitStage, call);
    if (!('stage' in status)) return 'again';
    return response(run, false, updateId, status);
  } catch (err) {
    if (isAbortedByClose(err)) return 'again';
    throw err instanceof GrpcError ? multiOperationError('aborted', err) : err;
  }
}

async function startAndUpdate(ctx: Ctx, op: UpdateWithStart, call: CallInfo): Promise<object> {
  const { params } = op;
  const decision = decideStart(ctx, {
    namespace: params.namespace,
    workflowId: params.workflowId,
    requestId: params.requestId,
    reusePolicy: op.reusePolicy,
    conflictPolicy: op.conflictPolicy,
  });
  if (decision.kind === 'reject') throw multiOperationError(decision.error, 'aborted');
  if (decision.kind === 'existing') {
    const notStarted = new GrpcError(
      GrpcStatus.UNAVAILABLE,
      'Workflow was not started: the start request was seen before',
    );
    throw multiOperationError(notStarted, 'aborted');
  }
  const run = startRun(ctx, params);
  const record = admitUpdate(ctx, run, op.request);
  try {
    const status = await waitForStage(ctx, run, record, op.waitStage, call);
    if (!('stage' in status))
      throw new GrpcError(GrpcStatus.NOT_FOUND, 'workflow update was aborted by closing workflow');
    return response(run, true, record.updateId, status);
  } catch (err) {
    throw err instanceof GrpcError ? multiOperationError('ok', err) : err;
  }
}

async function attemptUpdateWithStart(ctx: Ctx, op: UpdateWithStart, call: CallInfo): Promise<Attempt> {
  const latestId = ctx.state.latest.get(workflowKey(op.params.namespace, op.params.workflowId));
  const latest = latestId ? ctx.state.runs.get(latestId) : undefined;
  const known = latest?.updates.get(op.request.meta?.updateId ?? '');
  if (latest && known) {
    // An update that completed already is answered as it is, whatever became of its workflow.
    const status = updateStatus(latest, known);
    if ('stage' in status && status.stage === UpdateLifecycle.COMPLETED)
      return response(latest, false, known.updateId, status);
  }
  const joinable = joinableRun(latest, op);
  return joinable ? updateExisting(ctx, joinable, op, call) : startAndUpdate(ctx, op, call);
}

/** ExecuteMultiOperation (update-with-start). */
export async function executeMultiOperation(ctx: Ctx, req: MultiOperationRequest, call: CallInfo): Promise<object> {
  requireNamespace(ctx, req.namespace);
  const op = checkOperations(ctx, req);
  // A workflow that closed under the update is tried once more, as the real server does (it may start it anew).
  const first = await attemptUpdateWithStart(ctx, op, call);
  if (first !== 'again') return first;
  const second = await attemptUpdateWithStart(ctx, op, call);
  if (second !== 'again') return second;
  const aborted = new GrpcError(GrpcStatus.ABORTED, 'workflow update was aborted by closing workflow');
  throw multiOperationError('aborted', aborted);
}
