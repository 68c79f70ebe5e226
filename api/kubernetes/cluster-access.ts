import { eq } from 'drizzle-orm';
import { clusterAccess, type RuntimeEnvironment } from '../../clients/kubernetes/cluster-access';
import { ensureImagePullSecret } from '../../clients/kubernetes/pull-secret';
import type { Database } from '../../db/client';
import type { SecretCipher } from '../../db/crypto';
import type { services } from '../../db/schema';
import { clusters, registries } from '../../db/schema';
import { deployNamespaceOf } from '../../domain/deploy-namespace';
import { registryHost } from '../../domain/registry-host';

type ServiceRow = typeof services.$inferSelect;
type ClusterRow = typeof clusters.$inferSelect;

/** A stored runtime environment with its kubeconfig decrypted just now, for `clusterAccess`. */
export function decryptedCluster(cluster: ClusterRow, cipher: SecretCipher): RuntimeEnvironment {
  return { ...cluster, kubeconfig: cluster.kubeconfigEnc ? cipher.decrypt(cluster.kubeconfigEnc) : null };
}

/** The cluster a service deploys to, or undefined when it has none. */
export async function serviceCluster(db: Database, service: ServiceRow): Promise<ClusterRow | undefined> {
  if (!service.clusterId) return undefined;
  const [cluster] = await db.select().from(clusters).where(eq(clusters.id, service.clusterId));
  return cluster;
}

/** Outcome of keeping a service's image-pull Secret in step with its registry credentials. */
export type PullSecretSync =
  | { state: 'skipped'; reason: string }
  | { state: 'created' | 'updated' | 'unchanged'; name: string; namespace: string }
  | { state: 'failed'; message: string };

/**
 * Creates or updates `{service}-registry-cred` in the service's namespace when it has a cluster and a registry.
 * Never throws: Kubernetes problems ("Permission denied: …", "Namespace not found: …") come back as `failed`.
 */
export async function syncPullSecret(db: Database, cipher: SecretCipher, service: ServiceRow): Promise<PullSecretSync> {
  const cluster = await serviceCluster(db, service);
  if (!cluster)
    return { state: 'skipped', reason: 'The service has no cluster; the Secret is created once one is set.' };
  if (!service.registryId) return { state: 'skipped', reason: 'The service has no registry.' };
  const [registry] = await db.select().from(registries).where(eq(registries.id, service.registryId));
  if (!registry) return { state: 'skipped', reason: 'The service has no registry.' };
  if (registry.passwordEnc === '') {
    return {
      state: 'skipped',
      reason: `Registry ${registry.name} has no password since its URL changed; enter it again in the registry settings.`,
    };
  }
  try {
    const namespace = deployNamespaceOf(service);
    const result = await ensureImagePullSecret({
      kubeconfig: clusterAccess(decryptedCluster(cluster, cipher), namespace),
      namespace,
      serviceName: service.name,
      createNamespace: true,
      registry: {
        host: registryHost(registry.url),
        username: registry.username,
        password: cipher.decrypt(registry.passwordEnc),
        insecure: registry.insecure,
      },
    });
    return { state: result.action, name: result.name, namespace: result.namespace };
  } catch (error) {
    return { state: 'failed', message: (error as Error).message };
  }
}
