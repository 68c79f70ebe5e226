// gRPC errors the devserver answers with, shaped as the real server sends them (status + google.rpc.Status details).
import { status as GrpcStatus } from '@grpc/grpc-js';

/** An error detail: a temporal.api.errordetails.v1 message name and its fields. */
export interface ErrorDetail {
  type: string;
  value: object;
}

/** A deterministic error returned to the caller with a gRPC status code (never retried by the SDK). */
export class GrpcError extends Error {
  constructor(
    readonly code: GrpcStatus,
    message: string,
    readonly detail?: ErrorDetail,
  ) {
    super(message);
  }
}

/** NOT_FOUND for a workflow id/run id that does not exist (the client maps it to WorkflowNotFoundError). */
export function workflowNotFound(workflowId: string, runId?: string | null): GrpcError {
  const suffix = runId ? `, RunId: ${runId}` : '';
  return new GrpcError(GrpcStatus.NOT_FOUND, `workflow not found for ID: ${workflowId}${suffix}`, {
    type: 'NotFoundFailure',
    value: {},
  });
}

/** NOT_FOUND with NamespaceNotFoundFailure, which the SDK raises as NamespaceNotFoundError. */
export function namespaceNotFound(namespace: string): GrpcError {
  return new GrpcError(GrpcStatus.NOT_FOUND, `Namespace ${namespace} is not found.`, {
    type: 'NamespaceNotFoundFailure',
    value: { namespace },
  });
}

/** NOT_FOUND for an operation on a run that already closed. */
export function alreadyCompleted(): GrpcError {
  return new GrpcError(GrpcStatus.NOT_FOUND, 'workflow execution already completed', {
    type: 'NotFoundFailure',
    value: {},
  });
}

/** NOT_FOUND for a stale or unknown task token. */
export function taskNotFound(what: string): GrpcError {
  return new GrpcError(GrpcStatus.NOT_FOUND, `${what} not found: the task token is stale or unknown`, {
    type: 'NotFoundFailure',
    value: {},
  });
}

/** INVALID_ARGUMENT with a message that says what to fix. */
export function invalidArgument(message: string): GrpcError {
  return new GrpcError(GrpcStatus.INVALID_ARGUMENT, message);
}

/** ALREADY_EXISTS with WorkflowExecutionAlreadyStartedFailure, as the real server reports a running id. */
export function alreadyStarted(message: string, startRequestId: string, runId: string): GrpcError {
  return new GrpcError(GrpcStatus.ALREADY_EXISTS, message, {
    type: 'WorkflowExecutionAlreadyStartedFailure',
    value: { startRequestId, runId },
  });
}
