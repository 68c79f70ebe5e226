import type { SecretCipher } from '../../db/crypto';
import type { WebhookService } from './find-services';
import type { IncomingDelivery } from './read-delivery';
import { verifyGithubSignature, verifyGitlabToken, verifyStandardWebhook } from './signatures';

export type AuthResult = 'valid' | 'invalid' | 'stale';

/** Checks a delivery against one service's secret: GitHub HMAC, GitLab token, or GitLab's signed delivery. */
export function authenticateDelivery(
  delivery: IncomingDelivery,
  service: WebhookService,
  cipher: SecretCipher,
  now: Date,
): AuthResult {
  const secret = cipher.decrypt(service.webhookSecretEnc);
  const h = delivery.headers;
  if (delivery.provider === 'github') {
    return verifyGithubSignature(secret, delivery.rawBody, h['x-hub-signature-256']) ? 'valid' : 'invalid';
  }
  if (verifyGitlabToken(secret, h['x-gitlab-token'])) return 'valid';
  if (!h['webhook-signature']) return 'invalid';
  const headers = { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] };
  return verifyStandardWebhook(secret, headers, delivery.rawBody, now);
}

/** Finds the services whose secret the delivery proves; `stale` when only an expired signature matched. */
export function authenticatedServices(
  delivery: IncomingDelivery,
  candidates: WebhookService[],
  cipher: SecretCipher,
  now: Date,
): { services: WebhookService[]; stale: boolean } {
  const results = candidates.map((service) => ({
    service,
    result: authenticateDelivery(delivery, service, cipher, now),
  }));
  return {
    services: results.filter((r) => r.result === 'valid').map((r) => r.service),
    stale: results.some((r) => r.result === 'stale'),
  };
}
