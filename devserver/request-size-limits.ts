// The size checks the real frontend runs on requests before they reach a workflow: a start, signal or query whose
// payload is over the limits is refused (INVALID_ARGUMENT); an activity's oversized answer fails the activity with a
// non-retryable server failure instead; an oversized failure is replaced by one that says so.
import { cancelActivity, completeActivity, failActivity, heartbeat } from './activity-replies';
import type { Ctx } from './context';
import { invalidArgument, type GrpcError } from './errors';
import { exceedsLimit, failureSize, memoSize, payloadsSize, serverFailure, truncatedFailure } from './payload-limits';
import type { Failure, Payload, Payloads } from './proto';

type Token = Uint8Array | null | undefined;

/** The request fields the frontend measures. */
interface SizedRequest {
  input?: Payloads | null;
  signalInput?: Payloads | null;
  memo?: { fields?: Record<string, Payload> | null } | null;
  query?: { queryArgs?: Payloads | null } | null;
}

const BLOB_TOO_LARGE = 'Blob data size exceeds limit.';
const MEMO_TOO_LARGE = 'Memo size exceeds limit.';

// What each RPC's payloads are measured as: [size of the field, blob or memo limit].
const MEASURED: Record<string, (req: SizedRequest) => [number, 'blob' | 'memo'][]> = {
  StartWorkflowExecution: (req) => [
    [payloadsSize(req.input), 'blob'],
    [memoSize(req.memo?.fields), 'memo'],
  ],
  SignalWithStartWorkflowExecution: (req) => [
    [payloadsSize(req.signalInput), 'blob'],
    [payloadsSize(req.input), 'blob'],
    [memoSize(req.memo?.fields), 'memo'],
  ],
  SignalWorkflowExecution: (req) => [[payloadsSize(req.input), 'blob']],
  QueryWorkflow: (req) => [[payloadsSize(req.query?.queryArgs), 'blob']],
};

/** Why the frontend would refuse this request for its size, or undefined. */
export function requestSizeProblem(ctx: Ctx, method: string, req: SizedRequest): GrpcError | undefined {
  for (const [size, kind] of MEASURED[method]?.(req) ?? []) {
    if (exceedsLimit(ctx, size, method, kind))
      return invalidArgument(kind === 'blob' ? BLOB_TOO_LARGE : MEMO_TOO_LARGE);
  }
  return undefined;
}

/** RespondActivityTaskCompleted: a result over the limit fails the activity instead. */
export function answerCompleted(ctx: Ctx, token: Token, result: Payloads | null | undefined, identity: string): object {
  if (exceedsLimit(ctx, payloadsSize(result), 'RespondActivityTaskCompleted')) {
    failActivity(ctx, token, serverFailure('Complete result exceeds size limit.'), null, identity);
  } else {
    completeActivity(ctx, token, result, identity);
  }
  return {};
}

/** RespondActivityTaskFailed: oversized heartbeat details are dropped, an oversized failure is replaced. */
export function answerFailed(
  ctx: Ctx,
  token: Token,
  failure: Failure | null | undefined,
  details: Payloads | null | undefined,
  identity: string,
): object {
  const failures: Failure[] = [];
  let kept = details;
  if (details && exceedsLimit(ctx, payloadsSize(details), 'RespondActivityTaskFailed')) {
    failures.push(serverFailure('Heartbeat details exceed size limit.'));
    kept = null;
  }
  const sent = failureWithinLimits(ctx, failure, 'RespondActivityTaskFailed');
  if (sent !== failure) failures.push(sent!);
  failActivity(ctx, token, sent, kept, identity);
  return { failures };
}

/** RespondActivityTaskCanceled: details over the limit fail the activity instead. */
export function answerCanceled(ctx: Ctx, token: Token, details: Payloads | null | undefined, identity: string): object {
  if (exceedsLimit(ctx, payloadsSize(details), 'RespondActivityTaskCanceled')) {
    failActivity(ctx, token, serverFailure('Cancel details exceed size limit.'), null, identity);
  } else {
    cancelActivity(ctx, token, details, identity);
  }
  return {};
}

/** RecordActivityTaskHeartbeat: details over the limit fail the activity, and the worker is told to cancel it. */
export function answerHeartbeat(
  ctx: Ctx,
  token: Token,
  details: Payloads | null | undefined,
  identity: string,
): object {
  if (exceedsLimit(ctx, payloadsSize(details), 'RecordActivityTaskHeartbeat')) {
    failActivity(ctx, token, serverFailure('Heartbeat details exceed size limit.'), null, identity);
    return { cancelRequested: true };
  }
  return heartbeat(ctx, token, details);
}

/** The failure, or a server failure holding its truncated form when it is over the limit. */
export function failureWithinLimits(ctx: Ctx, failure: Failure | null | undefined, operation: string): Failure | null {
  if (!failure || !exceedsLimit(ctx, failureSize(failure), operation)) return failure ?? null;
  return serverFailure('Failure exceeds size limit.', truncatedFailure(failure, ctx.payloadLimits.blobSizeWarn));
}
