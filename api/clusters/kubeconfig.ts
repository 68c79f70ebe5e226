import { parse } from 'yaml';

/** Checks that a kubeconfig is YAML with at least one cluster and returns the current context's server URL. */
export function inspectKubeconfig(text: string, context?: string): { server?: string; error?: string } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return { error: `kubeconfig is not valid YAML: ${(error as Error).message}` };
  }
  const config = doc as {
    clusters?: { name?: string; cluster?: { server?: string } }[];
    contexts?: { name?: string; context?: { cluster?: string } }[];
    'current-context'?: string;
  };
  if (!config || typeof config !== 'object' || !Array.isArray(config.clusters) || config.clusters.length === 0) {
    return { error: 'kubeconfig has no clusters: paste the whole file from `kubectl config view --raw --minify`.' };
  }
  const contextName = context ?? config['current-context'];
  const ctx = config.contexts?.find((c) => c.name === contextName);
  if (context && !ctx) return { error: `kubeconfig has no context named "${context}".` };
  const cluster = config.clusters.find((c) => c.name === ctx?.context?.cluster) ?? config.clusters[0];
  return { server: cluster?.cluster?.server };
}
