import type { ProviderKind } from './errors';

/** The build's page in Kiln's UI (hash router: `/#/builds/<id>`); the one place this URL is made. */
export function buildPageUrl(publicUrl: string, buildId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/builds/${buildId}`;
}

/** The Production webhook URL for a provider, the same one api/services/webhook-info.routes.ts shows. */
export function webhookUrl(publicUrl: string, kind: ProviderKind): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/webhook/${kind}`;
}
