import { BuildErrorType, buildFailure } from '../../domain/build-error';
import type { ClusterAccess } from './client';

/** A runtime environment as Kiln stores it, with its kubeconfig already decrypted (null when none is stored). */
export interface RuntimeEnvironment {
  name: string;
  mode: 'kubeconfig' | 'in-cluster';
  kubeconfig: string | null;
  context: string | null;
}

/**
 * The one answer to "how do I reach this runtime environment": the in-cluster service account, or its stored
 * kubeconfig and context. A kubeconfig environment without a kubeconfig is a ConfigurationError, never silently
 * the worker's own service account.
 */
export function clusterAccess(cluster: RuntimeEnvironment): ClusterAccess {
  if (cluster.mode === 'in-cluster') return { inCluster: true };
  if (!cluster.kubeconfig) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      `Cluster ${cluster.name} has no kubeconfig: add one in Runtime Environments.`,
    );
  }
  return { kubeconfig: cluster.kubeconfig, context: cluster.context };
}
