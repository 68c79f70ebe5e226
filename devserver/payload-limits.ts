// Blob and memo size limits, as the real server's `limit.blobSize.*` / `limit.memoSize.*` settings apply them:
// a size over the warn limit is logged, and only a size over both the warn and the error limit is refused.
import type { Ctx } from './context';
import { api, type Failure, type Payload, type Payloads } from './proto';

const { Payloads: PayloadsMsg, Memo: MemoMsg } = api.common.v1;
const { Failure: FailureMsg } = api.failure.v1;

/** Encoded size of a Payloads message (0 when absent). */
export function payloadsSize(payloads: Payloads | null | undefined): number {
  return payloads ? PayloadsMsg.encode(payloads).finish().length : 0;
}

/** Encoded size of a Failure message. */
export function failureSize(failure: Failure | null | undefined): number {
  return failure ? FailureMsg.encode(failure).finish().length : 0;
}

/** Encoded size of a Memo with these fields. */
export function memoSize(fields: Record<string, Payload> | null | undefined): number {
  return fields ? MemoMsg.encode({ fields }).finish().length : 0;
}

/** Keys plus payload data of a search attribute or memo map, as the real server counts an upsert. */
export function payloadMapSize(fields: Record<string, Payload> | null | undefined): number {
  return Object.entries(fields ?? {}).reduce((sum, [key, p]) => sum + key.length + (p.data?.length ?? 0), 0);
}

/** Keys plus Payloads sizes of a marker's details. */
export function payloadsMapSize(fields: Record<string, Payloads> | null | undefined): number {
  return Object.entries(fields ?? {}).reduce((sum, [key, p]) => sum + key.length + payloadsSize(p), 0);
}

/** Whether `size` breaks the error limit (logged past the warn limit), for a blob or a memo. */
export function exceedsLimit(ctx: Ctx, size: number, operation: string, kind: 'blob' | 'memo' = 'blob'): boolean {
  const limits = ctx.payloadLimits;
  const [warn, error] =
    kind === 'blob' ? [limits.blobSizeWarn, limits.blobSizeError] : [limits.memoSizeWarn, limits.memoSizeError];
  if (size <= warn) return false;
  ctx.log.warn(
    { size, warnLimit: warn, operation },
    `${kind === 'blob' ? 'Blob data' : 'Memo'} size exceeds the warning limit.`,
  );
  return size > error;
}

/** A non-retryable server failure, as the real server writes for a payload it refused. */
export function serverFailure(message: string, cause?: Failure | null): Failure {
  return { message, source: '', serverFailureInfo: { nonRetryable: true }, cause: cause ?? null };
}

/** A failure cut down to the warn limit, kept as the cause of the server failure that replaces it. */
export function truncatedFailure(failure: Failure, maxBytes: number): Failure {
  const cut = (text: string | null | undefined) => (text ?? '').slice(0, Math.max(0, Math.floor(maxBytes / 2)));
  return { message: cut(failure.message), source: failure.source ?? '', stackTrace: cut(failure.stackTrace) };
}
