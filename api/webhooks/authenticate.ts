import type { SecretCipher } from '../../db/crypto';
import type { WebhookService } from './find-services';
import type { IncomingDelivery } from './read-delivery';
import { verifyGithubSignature, verifyGitlabToken, verifyStandardWebhook } from './signatures';

/** How a delivery proved it knows a service's secret: GitHub's body HMAC, GitLab's token, or a signed delivery. */
export type AuthMethod = 'hmac' | 'token' | 'signature';

/** Whether one service's secret vouches for a delivery, and how. */
export type AuthResult = { result: 'valid'; via: AuthMethod } | { result: 'invalid' | 'stale' };

/** A service whose secret the delivery proves, and how. */
export interface AuthenticatedService {
  service: WebhookService;
  via: AuthMethod;
}

/**
 * Checks a delivery against one service's secret. A valid Standard Webhooks signature wins over the token, so the
 * signed `webhook-id` (not an unsigned header) identifies the delivery whenever GitLab signs it.
 */
export function authenticateDelivery(
  delivery: IncomingDelivery,
  service: WebhookService,
  cipher: SecretCipher,
  now: Date,
): AuthResult {
  const secret = cipher.decrypt(service.webhookSecretEnc);
  const h = delivery.headers;
  if (delivery.provider === 'github') {
    const valid = verifyGithubSignature(secret, delivery.rawBody, h['x-hub-signature-256']);
    return valid ? { result: 'valid', via: 'hmac' } : { result: 'invalid' };
  }
  const headers = { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] };
  const signed = headers.signature ? verifyStandardWebhook(secret, headers, delivery.rawBody, now) : 'invalid';
  if (signed === 'valid') return { result: 'valid', via: 'signature' };
  if (verifyGitlabToken(secret, h['x-gitlab-token'])) return { result: 'valid', via: 'token' };
  return { result: signed };
}

/** Finds the services whose secret the delivery proves; `stale` when only an expired signature matched. */
export function authenticatedServices(
  delivery: IncomingDelivery,
  candidates: WebhookService[],
  cipher: SecretCipher,
  now: Date,
): { services: AuthenticatedService[]; stale: boolean } {
  const results = candidates.map((service) => ({
    service,
    auth: authenticateDelivery(delivery, service, cipher, now),
  }));
  return {
    services: results.flatMap(({ service, auth }) => (auth.result === 'valid' ? [{ service, via: auth.via }] : [])),
    stale: results.some(({ auth }) => auth.result === 'stale'),
  };
}
