import { createHash } from 'node:crypto';
import { assertStorableJson, assertStorableText } from '../input-guard';
import type { gitProviderKinds } from '../../domain/connections';

export type Provider = (typeof gitProviderKinds)[number];

/** One webhook HTTP request as received: lower-cased headers and the exact body bytes that were signed. */
export interface IncomingDelivery {
  provider: Provider;
  headers: Record<string, string>;
  rawBody: Uint8Array;
  /** Content-Length of a body too large to read (then `rawBody` is empty). */
  declaredBytes?: number;
}

/** Size of the delivery's body in bytes, read or not. */
export function bodyBytes(delivery: IncomingDelivery): number {
  return delivery.declaredBytes ?? delivery.rawBody.byteLength;
}

/** Providers cap payloads at 25 MB; anything bigger is not a genuine delivery. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

// Never stored with a delivery: they are credentials or would let someone replay a signed request elsewhere.
const secretHeaders = new Set([
  'authorization',
  'cookie',
  'x-gitlab-token',
  'x-hub-signature',
  'x-hub-signature-256',
  'webhook-signature',
]);

/** Headers worth keeping with a delivery record (no tokens or signatures). */
export function storableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !secretHeaders.has(name)));
}

/** The provider's event name (`push`, `Push Hook`, …), or undefined when the header is missing. */
export function eventOf(delivery: IncomingDelivery): string | undefined {
  const name = delivery.provider === 'github' ? 'x-github-event' : 'x-gitlab-event';
  return delivery.headers[name]?.trim() || undefined;
}

/**
 * The id that stays the same when a provider redelivers this event: `X-GitHub-Delivery`; for GitLab
 * `Idempotency-Key` (17.4+), `webhook-id`, then `X-Gitlab-Event-UUID`. Without any, a hash of the body stands in.
 * Unusual characters are hashed so the id is safe inside a workflow id.
 */
export function deliveryIdOf(delivery: IncomingDelivery): string {
  const h = delivery.headers;
  const candidates =
    delivery.provider === 'github'
      ? [h['x-github-delivery']]
      : [h['idempotency-key'], h['webhook-id'], h['x-gitlab-event-uuid']];
  const id = candidates.find((value) => value && value.trim().length > 0)?.trim();
  if (id && /^[A-Za-z0-9._:-]{1,128}$/.test(id)) return id;
  const source = id ?? Buffer.from(delivery.rawBody);
  return `sha256-${createHash('sha256').update(source).digest('hex').slice(0, 40)}`;
}

/**
 * Decodes the JSON payload: the whole body, or GitHub's form-encoded `payload=<json>`. Throws on bad input,
 * including a 400 HTTPException naming the first field PostgreSQL could not store (NUL, lone surrogate).
 */
export function decodePayload(delivery: IncomingDelivery): unknown {
  const text = Buffer.from(delivery.rawBody).toString('utf8');
  // The raw body is stored with the delivery, so it must be storable too (a form body may hide a NUL).
  assertStorableText('Field', '(body)', text);
  const contentType = delivery.headers['content-type'] ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) throw new SyntaxError('form-encoded body has no "payload" field');
    return storable(JSON.parse(payload));
  }
  return storable(JSON.parse(text));
}

function storable(payload: unknown): unknown {
  assertStorableJson(payload);
  return payload;
}
