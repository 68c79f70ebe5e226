import { and, desc, eq, isNotNull, isNull, notInArray } from 'drizzle-orm';
import { checkClusterConnectivity, requiredPermissions } from '../../clients/kubernetes/client';
import {
  getDeploymentStatus as readDeployment,
  rollbackService as rollbackDeployment,
} from '../../clients/kubernetes/deploy';
import type { Database } from '../../db/client';
import { builds, clusters } from '../../db/schema';
import { untrustedChangeEvents } from '../../domain/merge-request';
import type { AppDeps } from '../deps';
import { requireRole } from '../auth';
import { apiError } from '../errors';
import type { AppRouteHandler } from '../openapi';
import { visibleTo, withinReach } from '../scope';
import { loadVisibleService } from '../services/load-service';
import { accessOf, serviceCluster } from './cluster-access';
import type * as routes from './kubernetes.routes';
import { deployNamespaceOf } from '../../domain/deploy-namespace';

/** Handlers of cluster connectivity, deployment status and rollback. */
export function createKubernetesHandlers({ db, cipher }: AppDeps) {
  const checkCluster: AppRouteHandler<typeof routes.checkCluster> = async (c) => {
    const id = c.req.valid('param').id;
    const [cluster] = await db
      .select()
      .from(clusters)
      .where(visibleTo(c.get('user'), clusters.organizationId, eq(clusters.id, id)));
    const target = withinReach(c.get('user'), cluster, `Cluster ${id}`);
    requireRole(c.get('user'), 'org_admin', 'check clusters');
    return c.json(await checkClusterConnectivity(accessOf(target, cipher), requiredPermissions('kiln-builds')), 200);
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
        kubeconfig: accessOf(cluster, cipher),
        namespace,
        serviceName: service.name,
      });
      return c.json({ ...result, namespace }, 200);
    } catch (error) {
      return c.json({ state: 'Failed' as const, ...none, namespace, message: (error as Error).message }, 200);
    }
  };
  const rollbackService: AppRouteHandler<typeof routes.rollbackService> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const cluster = await serviceCluster(db, service);
    if (!cluster) throw apiError(409, 'The service has no cluster, so nothing was deployed to roll back.');
    const access = accessOf(cluster, cipher);
    const namespace = deployNamespaceOf(service);
    const current = await readDeployment({ kubeconfig: access, namespace, serviceName: service.name }).catch(
      () => null,
    );
    const runningDigest = current?.image?.split('@')[1];
    const previous = (await deployedBuilds(db, service.id)).find(
      (build) => build.digest !== runningDigest && build.images[0],
    );
    if (!previous) throw apiError(409, 'No earlier successful build with a different image exists to roll back to.');
    try {
      const result = await rollbackDeployment({
        kubeconfig: access,
        namespace,
        serviceName: service.name,
        previousImage: `${previous.images[0]!.split(':').slice(0, -1).join(':')}@${previous.digest}`,
        buildId: previous.id,
        port: service.deployPort ?? undefined,
      });
      return c.json(
        { buildId: previous.id, image: result.image, namespace, availableReplicas: result.availableReplicas },
        200,
      );
    } catch (error) {
      throw apiError(422, (error as Error).message);
    }
  };
  return { checkCluster, getDeploymentStatus, rollbackService };
}

/** The service's newest successful builds that may be deployed again (never a merge or pull request's). */
async function deployedBuilds(db: Database, serviceId: string) {
  return db
    .select()
    .from(builds)
    .where(
      and(
        eq(builds.serviceId, serviceId),
        eq(builds.status, 'Succeeded'),
        isNotNull(builds.digest),
        isNull(builds.parentBuildId),
        // Merge and pull request images are unmerged code: a rollback never deploys one.
        isNull(builds.mergeRequestIid),
        isNull(builds.pullRequestNumber),
        notInArray(builds.event, [...untrustedChangeEvents]),
      ),
    )
    .orderBy(desc(builds.finishedAt))
    .limit(20);
}
