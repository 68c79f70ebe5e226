import { createHash } from 'node:crypto';
import type { AuthMethod } from './authenticate';
import type { IncomingDelivery } from './read-delivery';

/**
 * Which delivery a verified request is, for the record and for the build it starts. Only what the secret vouches
 * for may decide it, or a replay with a fresh header would start a second build:
 * - GitLab signed deliveries (Standard Webhooks): the signed `webhook-id`; `Idempotency-Key` is not signed.
 * - GitLab `X-Gitlab-Token`: the token is a password, not a signature, so nothing is signed; `Idempotency-Key`
 *   (then `X-Gitlab-Event-UUID`) is as trustworthy as the token itself, which whoever can replay also holds.
 * - GitHub: `X-GitHub-Delivery` is shown, but the HMAC covers only the body, so builds are keyed by the body hash.
 */
export interface DeliveryIdentity {
  /** The provider's delivery id, shown with the delivery and the build. */
  deliveryId: string;
  /** Business key of the builds: the same for the provider's redeliveries and for replays. */
  buildKey: string;
}

const plainId = /^[A-Za-z0-9._:-]{1,128}$/;

/** The identity of a delivery that authenticated `via` the given method. */
export function deliveryIdentity(delivery: IncomingDelivery, via: AuthMethod): DeliveryIdentity {
  const h = delivery.headers;
  if (delivery.provider === 'github') {
    return { deliveryId: safeId(h['x-github-delivery'], delivery), buildKey: bodyKey(delivery) };
  }
  const id = via === 'signature' ? h['webhook-id'] : (nonEmpty(h['idempotency-key']) ?? h['x-gitlab-event-uuid']);
  const deliveryId = safeId(id, delivery);
  return { deliveryId, buildKey: deliveryId };
}

/** The identity of an admin's redelivery: the recorded delivery id, and for GitHub the stored body's hash again. */
export function redeliveryIdentity(delivery: IncomingDelivery, recordedId: string | null): DeliveryIdentity {
  const deliveryId = safeId(recordedId ?? undefined, delivery);
  return { deliveryId, buildKey: delivery.provider === 'github' ? bodyKey(delivery) : deliveryId };
}

/** Any id header of an unverified delivery, for the rejection record only (never for a build). */
export function claimedDeliveryId(delivery: IncomingDelivery): string | undefined {
  const h = delivery.headers;
  return delivery.provider === 'github'
    ? h['x-github-delivery']
    : (nonEmpty(h['idempotency-key']) ?? nonEmpty(h['webhook-id']) ?? h['x-gitlab-event-uuid']);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim().length > 0 ? value : undefined;
}

// Ids with unusual characters are hashed so they are safe inside a workflow id; no id at all: the body's hash.
function safeId(id: string | undefined, delivery: IncomingDelivery): string {
  const trimmed = id?.trim();
  if (trimmed && plainId.test(trimmed)) return trimmed;
  const source = trimmed || Buffer.from(delivery.rawBody);
  return `sha256-${createHash('sha256').update(source).digest('hex').slice(0, 40)}`;
}

function bodyKey(delivery: IncomingDelivery): string {
  return `body-${createHash('sha256').update(delivery.rawBody).digest('hex').slice(0, 40)}`;
}
