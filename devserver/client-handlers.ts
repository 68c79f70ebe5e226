// Client RPCs that change workflows: start, signal, signal-with-start, cancel, terminate, query.
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { temporal } from '@temporalio/proto';
import { startRun, terminateRun } from './closing';
import type { Ctx } from './context';
import { GrpcError, invalidArgument, namespaceNotFound } from './errors';
import { decideStart } from './id-policy';
import { toMs } from './proto';
import { dispatchQueries } from './queries';
import { requestCancelRun, signalRun } from './run-requests';
import { resolveRun, type StartParams } from './runs';
import { checkSearchAttributes } from './search-attributes';
import { isClosed, type WorkflowRun } from './state';
import { startedTaskResponse, startWorkflowTask } from './workflow-tasks';

const CONFLICT_USE_EXISTING = 2;

/** Refuses requests for namespaces that were never registered. */
export function requireNamespace(ctx: Ctx, namespace: string | null | undefined): string {
  const name = namespace || 'default';
  if (!ctx.state.namespaces.has(name)) throw namespaceNotFound(name);
  return name;
}

/** `limit.maxIDLength`: the longest workflow id, update id… the real server accepts. */
export const MAX_ID_LENGTH = 1000;

/** The start of a run a Start/SignalWithStart request asks for, checked as the real server's frontend does. */
export function startParams(
  ctx: Ctx,
  req:
    | temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest
    | temporal.api.workflowservice.v1.ISignalWithStartWorkflowExecutionRequest,
): StartParams {
  const namespace = requireNamespace(ctx, req.namespace);
  if (!req.workflowId) throw invalidArgument('WorkflowId is not set on request: pass a workflow id.');
  if (req.workflowId.length > MAX_ID_LENGTH) throw invalidArgument('WorkflowId length exceeds limit.');
  if (!req.workflowType?.name) throw invalidArgument('WorkflowType is not set on request: pass a workflow type.');
  if (!req.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request: pass a task queue.');
  return {
    namespace,
    workflowId: req.workflowId,
    workflowType: req.workflowType.name,
    taskQueue: req.taskQueue.name,
    input: req.input ?? null,
    executionTimeoutMs: toMs(req.workflowExecutionTimeout),
    runTimeoutMs: toMs(req.workflowRunTimeout),
    taskTimeoutMs: toMs(req.workflowTaskTimeout),
    identity: req.identity ?? '',
    requestId: req.requestId || randomUUID(),
    retryPolicy: req.retryPolicy ?? null,
    memo: req.memo?.fields ?? null,
    searchAttributes: checkSearchAttributes(ctx, namespace, req.searchAttributes?.indexedFields),
    header: req.header ?? null,
    firstTaskDelayMs: toMs(req.workflowStartDelay),
    userMetadata: req.userMetadata ?? null,
    priority: req.priority ?? null,
  };
}

/**
 * StartWorkflowExecution with request-id idempotency and the id reuse/conflict policies. With
 * `request_eager_execution` (and no start delay) the first workflow task is started for the caller's worker and
 * returned as `eager_workflow_task`, as the real server does; a retried request gets the same task while it runs.
 */
export function startWorkflow(ctx: Ctx, req: temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest): object {
  const params = startParams(ctx, req);
  const eager = req.requestEagerExecution === true && !params.firstTaskDelayMs;
  const decision = decideStart(ctx, {
    namespace: params.namespace,
    workflowId: params.workflowId,
    requestId: params.requestId,
    reusePolicy: req.workflowIdReusePolicy ?? 0,
    conflictPolicy: req.workflowIdConflictPolicy ?? 0,
  });
  if (decision.kind === 'reject') throw decision.error;
  if (decision.kind === 'existing') {
    const { run } = decision;
    const again = eager && decision.started ? eagerTaskAgain(run) : null;
    return { runId: run.runId, started: decision.started, status: run.status, eagerWorkflowTask: again };
  }
  const run = startRun(ctx, { ...params, eager });
  const eagerWorkflowTask = eager ? startWorkflowTask(ctx, run, params.identity ?? '', params.requestId) : null;
  return { runId: run.runId, started: true, status: run.status, eagerWorkflowTask };
}

/** The eager task of a start retried with the same request id, while that first task is still running. */
function eagerTaskAgain(run: WorkflowRun): object | null {
  const { wft } = run;
  if (isClosed(run) || wft.state !== 'started' || wft.startedEventId !== 3 || wft.attempt > 1) return null;
  return startedTaskResponse(run, run.history, []);
}

/** SignalWithStartWorkflowExecution: signals the running run, or starts one with the signal as its first event. */
export function signalWithStart(
  ctx: Ctx,
  req: temporal.api.workflowservice.v1.ISignalWithStartWorkflowExecutionRequest,
): object {
  const params = startParams(ctx, req);
  const signal = {
    signalName: req.signalName ?? '',
    input: req.signalInput ?? null,
    identity: req.identity ?? '',
    header: req.header ?? null,
  };
  const decision = decideStart(ctx, {
    namespace: params.namespace,
    workflowId: params.workflowId,
    requestId: params.requestId,
    reusePolicy: req.workflowIdReusePolicy ?? 0,
    conflictPolicy: req.workflowIdConflictPolicy ?? 0,
    defaultConflict: CONFLICT_USE_EXISTING,
  });
  if (decision.kind === 'reject') throw decision.error;
  if (decision.kind === 'existing' && !isClosed(decision.run)) {
    signalRun(ctx, decision.run, signal);
    return { runId: decision.run.runId, started: false };
  }
  const run = startRun(ctx, { ...params, signal });
  return { runId: run.runId, started: true };
}

/** SignalWorkflowExecution. */
export function signalWorkflow(ctx: Ctx, req: temporal.api.workflowservice.v1.ISignalWorkflowExecutionRequest): object {
  const run = resolveRun(ctx, requireNamespace(ctx, req.namespace), req.workflowExecution);
  // A client retrying a signal it already delivered sends the same request id: deliver it once.
  if (req.requestId && run.requestIds.includes(req.requestId)) return {};
  if (req.requestId) run.requestIds.push(req.requestId);
  signalRun(ctx, run, {
    signalName: req.signalName ?? '',
    input: req.input ?? null,
    identity: req.identity ?? '',
    header: req.header ?? null,
  });
  return {};
}

/** RequestCancelWorkflowExecution. */
export function requestCancelWorkflow(
  ctx: Ctx,
  req: temporal.api.workflowservice.v1.IRequestCancelWorkflowExecutionRequest,
): object {
  const run = resolveRun(ctx, requireNamespace(ctx, req.namespace), req.workflowExecution);
  requestCancelRun(ctx, run, { reason: req.reason ?? '', identity: req.identity ?? '' });
  return {};
}

/** TerminateWorkflowExecution. */
export function terminateWorkflow(
  ctx: Ctx,
  req: temporal.api.workflowservice.v1.ITerminateWorkflowExecutionRequest,
): object {
  const run = resolveRun(ctx, requireNamespace(ctx, req.namespace), req.workflowExecution);
  terminateRun(ctx, run, { reason: req.reason ?? '', details: req.details ?? null, identity: req.identity ?? '' });
  return {};
}

/** QueryWorkflow: waits for a worker to answer a legacy query task, up to the caller's deadline. */
export function queryWorkflow(
  ctx: Ctx,
  req: temporal.api.workflowservice.v1.IQueryWorkflowRequest,
  deadlineMs: number,
): Promise<object> {
  const run = resolveRun(ctx, requireNamespace(ctx, req.namespace), req.execution);
  const NOT_OPEN = 2;
  if (req.queryRejectCondition === NOT_OPEN && isClosed(run))
    return Promise.resolve({ queryRejected: { status: run.status } });
  if (isClosed(run) && run.lastCompletedStartedEventId === 0) {
    const message =
      'query cannot run: the workflow closed before any workflow task completed, so no worker has its state';
    return Promise.reject(new GrpcError(GrpcStatus.FAILED_PRECONDITION, message));
  }
  return new Promise((resolve, reject) => {
    const id = randomUUID();
    const timer = setTimeout(
      () => {
        run.queries = run.queries.filter((q) => q.id !== id);
        reject(
          new GrpcError(
            GrpcStatus.DEADLINE_EXCEEDED,
            'query timed out: no worker answered it; is a worker polling the task queue?',
          ),
        );
      },
      Math.max(1000, deadlineMs - Date.now() - 500),
    );
    run.queries.push({
      id,
      queryType: req.query?.queryType ?? '',
      queryArgs: req.query?.queryArgs ?? null,
      header: req.query?.header ?? null,
      dispatched: false,
      resolve: (result) => {
        clearTimeout(timer);
        if (result.error !== undefined) {
          reject(new GrpcError(GrpcStatus.INVALID_ARGUMENT, result.error, { type: 'QueryFailedFailure', value: {} }));
        } else {
          resolve({ queryResult: result.answer ?? null });
        }
      },
    });
    dispatchQueries(ctx, run);
  });
}
