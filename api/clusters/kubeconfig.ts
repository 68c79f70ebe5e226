import { parseDataKubeconfig } from '../../domain/kubeconfig';

const noClusters = 'kubeconfig has no clusters: paste the whole file from `kubectl config view --raw --minify`.';

/**
 * Checks that a kubeconfig is data only (domain/kubeconfig.ts: no exec, auth-provider, file paths or proxy) with
 * at least one cluster, and returns the current context's server URL.
 */
export function inspectKubeconfig(text: string, context?: string): { server?: string; error?: string } {
  const parsed = parseDataKubeconfig(text);
  // Text that is not a kubeconfig at all is told so before any field of it is named.
  if ('error' in parsed) return { error: parsed.hasClusters === false ? noClusters : parsed.error };
  const config = parsed.doc as {
    clusters?: { name?: string; cluster?: { server?: string } }[];
    contexts?: { name?: string; context?: { cluster?: string } }[];
    'current-context'?: string;
  };
  if (!Array.isArray(config.clusters) || config.clusters.length === 0) {
    return { error: noClusters };
  }
  const contextName = context ?? config['current-context'];
  const ctx = config.contexts?.find((c) => c.name === contextName);
  if (context && !ctx) return { error: `kubeconfig has no context named "${context}".` };
  const cluster = config.clusters.find((c) => c.name === ctx?.context?.cluster) ?? config.clusters[0];
  return { server: cluster?.cluster?.server };
}
