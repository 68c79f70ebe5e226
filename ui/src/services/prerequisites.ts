import type { GitProvider, Service } from '../api/types';

/**
 * What a service still lacks before Auto CI can be enabled, by the product page's checklist: a Git token for
 * its provider (set by an admin for the organization) and a registry. A cluster is only needed for auto-deploy.
 */
export function missingForAutoCi(service: Service, providers: GitProvider[] | undefined): string[] {
  const missing: string[] = [];
  const connected = providers?.some((p) => p.kind === service.gitProvider && p.hasToken);
  if (providers && !connected) missing.push('Git token');
  if (!service.registryId) missing.push('registry');
  return missing;
}

/** A sentence naming what is missing, for the disabled Auto CI button's tooltip. */
export function missingSentence(missing: string[]): string {
  const parts = missing.map((m) =>
    m === 'Git token'
      ? 'a Git token (an organization admin connects the Git server in Settings → Git connections)'
      : `a ${m} (service settings)`,
  );
  return `Auto CI is unavailable: it needs ${parts.join(' and ')}.`;
}
