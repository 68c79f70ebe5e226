import { eq } from 'drizzle-orm';
import { checkClusterConnectivity, requiredPermissions } from '../../clients/kubernetes/client';
import { clusterAccess } from '../../clients/kubernetes/cluster-access';
import { getDeploymentStatus as readDeployment } from '../../clients/kubernetes/deploy';
import { clusters } from '../../db/schema';
import { deployNamespaceOf } from '../../domain/deploy-namespace';
import type { AppDeps } from '../deps';
import { requireRole } from '../auth';
import type { AppRouteHandler } from '../openapi';
import { visibleTo, withinReach } from '../scope';
import { loadVisibleService } from '../services/load-service';
import { decryptedCluster, serviceCluster } from './cluster-access';
import type * as routes from './kubernetes.routes';
import { runRollback } from './run-rollback';

/** Handlers of cluster connectivity, deployment status and rollback. */
export function createKubernetesHandlers({ db, cipher, temporal }: AppDeps) {
  const checkCluster: AppRouteHandler<typeof routes.checkCluster> = async (c) => {
    const id = c.req.valid('param').id;
    const [cluster] = await db
      .select()
      .from(clusters)
      .where(visibleTo(c.get('user'), clusters.organizationId, eq(clusters.id, id)));
    const target = withinReach(c.get('user'), cluster, `Cluster ${id}`);
    requireRole(c.get('user'), 'org_admin', 'check clusters');
    let access;
    try {
      access = clusterAccess(decryptedCluster(target, cipher), null);
    } catch (error) {
      return c.json({ ok: false, message: (error as Error).message }, 200);
    }
    return c.json(await checkClusterConnectivity(access, requiredPermissions('kiln-builds')), 200);
  };
  const getDeploymentStatus: AppRouteHandler<typeof routes.getDeploymentStatus> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const cluster = await serviceCluster(db, service);
    const none = { availableReplicas: 0, replicas: 0 };
    if (!cluster)
      return c.json({ state: 'NotConfigured' as const, ...none, message: 'No cluster is set on the service.' }, 200);
    const namespace = deployNamespaceOf(service);
    try {
      const result = await readDeployment({
        kubeconfig: clusterAccess(decryptedCluster(cluster, cipher), namespace),
        namespace,
        serviceName: service.name,
      });
      return c.json({ ...result, namespace }, 200);
    } catch (error) {
      return c.json({ state: 'Failed' as const, ...none, namespace, message: (error as Error).message }, 200);
    }
  };
  // A durable workflow redeploys the earlier build; the request waits for its result.
  const rollbackService: AppRouteHandler<typeof routes.rollbackService> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const { buildId, image, namespace, availableReplicas } = await runRollback(temporal, service, c.get('user').name);
    return c.json({ buildId, image, namespace, availableReplicas }, 200);
  };
  return { checkCluster, getDeploymentStatus, rollbackService };
}
