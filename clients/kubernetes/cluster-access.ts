import { BuildErrorType, buildFailure } from '../../domain/build-error';
import { namespaceRefusal } from '../../domain/deploy-namespace';
import type { ClusterAccess } from './client';

/** A runtime environment as Kiln stores it, with its kubeconfig already decrypted (null when none is stored). */
export interface RuntimeEnvironment {
  name: string;
  mode: 'kubeconfig' | 'in-cluster';
  kubeconfig: string | null;
  context: string | null;
  /** In-cluster mode: the namespaces its services may deploy to (`domain/deploy-namespace.ts`). */
  namespaces: string[] | null;
}

/**
 * The one answer to "how do I reach this runtime environment to work in `namespace`" (null: only to check it): the
 * in-cluster service account, or its stored kubeconfig and context. A kubeconfig environment without a kubeconfig is
 * a ConfigurationError, never silently the worker's own service account; so is a namespace an in-cluster
 * environment does not allow, as Kiln's own service account could otherwise reach any namespace.
 */
export function clusterAccess(cluster: RuntimeEnvironment, namespace: string | null): ClusterAccess {
  const refusal = namespace === null ? null : namespaceRefusal(cluster, namespace);
  if (refusal) throw buildFailure(BuildErrorType.ConfigurationError, refusal);
  if (cluster.mode === 'in-cluster') return { inCluster: true };
  if (!cluster.kubeconfig) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      `Cluster ${cluster.name} has no kubeconfig: add one in Runtime Environments.`,
    );
  }
  return { kubeconfig: cluster.kubeconfig, context: cluster.context };
}
