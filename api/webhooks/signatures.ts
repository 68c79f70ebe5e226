import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks: deliveries whose timestamp is further than this from now are replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/** Constant-time string comparison; hashing first hides the length of the expected value too. */
export function safeEqual(received: string, expected: string): boolean {
  const a = createHash('sha256').update(received).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** GitHub `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. */
export function verifyGithubSignature(secret: string, rawBody: Uint8Array, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  return safeEqual(header.toLowerCase(), expected);
}

/** GitLab `X-Gitlab-Token`: the secret itself, sent as plain text. */
export function verifyGitlabToken(secret: string, header: string | undefined): boolean {
  return header !== undefined && header.length > 0 && safeEqual(header, secret);
}

/** The Standard Webhooks headers: message id, timestamp and signatures. */
export interface StandardWebhookHeaders {
  id?: string;
  timestamp?: string;
  signature?: string;
}

/** Whether a Standard Webhooks signature holds, and if not whether it was only too old. */
export type StandardWebhookResult = 'valid' | 'invalid' | 'stale';

/**
 * GitLab's signed deliveries (Standard Webhooks): `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`
 * keyed with the signing token (`whsec_<base64 key>`, or the raw secret bytes). Several space-separated
 * signatures may be sent during key rotation; one match is enough.
 */
export function verifyStandardWebhook(
  secret: string,
  headers: StandardWebhookHeaders,
  rawBody: Uint8Array,
  now: Date,
): StandardWebhookResult {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return 'invalid';
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest('base64');
  const matches = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .some((entry) => safeEqual(entry.slice(3), mac));
  if (!matches) return 'invalid';
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  return skew > SIGNATURE_TOLERANCE_SECONDS ? 'stale' : 'valid';
}
