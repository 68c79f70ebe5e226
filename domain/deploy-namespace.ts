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
