// Labels on the objects Kiln creates in a cluster.

/** Labels every object Kiln creates carries, so `kubectl get -l app.kubernetes.io/managed-by=kiln` finds them. */
export const managedBy = { 'app.kubernetes.io/managed-by': 'kiln' } as const;

/** Label values are at most 63 characters of `[A-Za-z0-9._-]`. */
export function labelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
