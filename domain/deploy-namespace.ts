/** Which Kubernetes namespace a service deploys to. Pure: no I/O. */

/** The fields of a service this rule reads. */
export interface NamespacedService {
  name: string;
  deployNamespace: string | null;
}

/** The service's own namespace setting, or, when it has none, a namespace named after the service. */
export function deployNamespaceOf(service: NamespacedService): string {
  return service.deployNamespace ?? service.name;
}

/**
 * A namespace an in-cluster runtime environment may deploy to: a namespace name (a DNS label), or a prefix ending in
 * `*` (`team-a-*`). There is no pattern for "every namespace": Kiln's own service account may reach all of them.
 */
export const namespacePattern = /^(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?|[a-z0-9][-a-z0-9]{0,61}\*)$/;

/** True when `namespace` matches one of `patterns` (none: nothing is allowed). */
export function namespaceAllowed(patterns: readonly string[] | null, namespace: string): boolean {
  return (patterns ?? []).some((p) => (p.endsWith('*') ? namespace.startsWith(p.slice(0, -1)) : namespace === p));
}

/**
 * Why a service may not deploy to `namespace` with an in-cluster runtime environment, or null when it may. Such an
 * environment works with Kiln's own service account, so only the namespaces an instance admin listed are open to
 * its services: never Kiln's own, `kube-system` or another organization's, unless listed.
 */
export function namespaceRefusal(
  environment: { name: string; mode: string; namespaces: readonly string[] | null },
  namespace: string,
): string | null {
  if (environment.mode !== 'in-cluster' || namespaceAllowed(environment.namespaces, namespace)) return null;
  const allowed = environment.namespaces?.length ? `only to ${environment.namespaces.join(', ')}` : 'to no namespace';
  return (
    `Runtime environment ${environment.name} deploys with Kiln's own service account and may deploy ${allowed}, ` +
    `not to namespace ${namespace}: choose another namespace, or ask an instance admin to allow it in Runtime Environments.`
  );
}
