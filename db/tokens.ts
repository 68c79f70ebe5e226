import { createHash, randomBytes } from 'node:crypto';

/** A new API token: shown to its owner once; only its hash is stored. */
export function generateApiToken(): string {
  return `kiln_${randomBytes(32).toString('base64url')}`;
}

/** A new webhook secret for a service (what users paste into GitLab/GitHub). */
export function generateWebhookSecret(): string {
  return randomBytes(24).toString('hex');
}

/** The stored form of an API token. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
