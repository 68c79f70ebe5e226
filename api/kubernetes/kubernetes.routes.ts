import { createRoute, z } from '@hono/zod-openapi';
import type { RouteHandler } from '@hono/zod-openapi';
import { and, desc, eq, isNotNull, isNull, notInArray } from 'drizzle-orm';
import { checkClusterConnectivity, requiredPermissions } from '../../activities/kubernetes/client';
import { getDeploymentStatus, rollbackService } from '../../activities/kubernetes/deploy';
import { builds, clusters } from '../../db/schema';
import { untrustedChangeEvents } from '../../domain/merge-request';
import type { AppDeps, AppEnv } from '../deps';
import { requireRole } from '../auth';
import { apiError } from '../errors';
import { bearerSecurity, commonErrors, createRouter, errorSchema, jsonResponse, uuidParam } from '../openapi';
import { visibleTo, withinReach } from '../scope';
import { loadVisibleService } from '../services/load-service';
import { accessOf, serviceCluster } from './cluster-access';
import { deployNamespaceOf } from '../../domain/deploy-namespace';

const connectivitySchema = z
  .object({
    ok: z.boolean(),
    version: z.string().optional(),
    message: z.string(),
    missing: z.array(z.string()).optional(),
  })
  .openapi('ClusterConnectivity');
const deploymentSchema = z
  .object({
    state: z.enum(['NotConfigured', 'NotDeployed', 'Progressing', 'Available', 'Failed']),
    image: z.string().optional(),
    availableReplicas: z.number(),
    replicas: z.number(),
    message: z.string().optional(),
    namespace: z.string().optional(),
  })
  .openapi('DeploymentStatus');
const rollbackSchema = z
  .object({ buildId: z.string(), image: z.string(), namespace: z.string(), availableReplicas: z.number() })
  .openapi('Rollback');

const checkCluster = createRoute({
  tags: ['Clusters'],
  security: bearerSecurity,
  method: 'post',
  path: '/clusters/{id}/check',
  summary: 'Can Kiln reach this cluster and do what builds and deploys need? (organization admin)',
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(connectivitySchema, 'Reachability, version and missing permissions'),
    ...commonErrors,
  },
});
const deploymentStatus = createRoute({
  tags: ['Services'],
  security: bearerSecurity,
  method: 'get',
  path: '/services/{id}/deployment',
  summary: "The service's Deployment as the Deploy and Operate stages show it (member)",
  request: { params: uuidParam },
  responses: { 200: jsonResponse(deploymentSchema, 'Deployment status'), ...commonErrors },
});
const rollback = createRoute({
  tags: ['Services'],
  security: bearerSecurity,
  method: 'post',
  path: '/services/{id}/rollback',
  summary: 'Redeploy the previous successful image (by digest) and wait for the rollout (member)',
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(rollbackSchema, 'Rolled back'),
    ...commonErrors,
    409: jsonResponse(errorSchema, 'Nothing to roll back to'),
    422: jsonResponse(errorSchema, 'The rollout failed or the cluster refused'),
  },
});

/** Cluster connectivity, deployment status and rollback. */
export function kubernetesRouter({ db, cipher }: AppDeps) {
  const check: RouteHandler<typeof checkCluster, AppEnv> = async (c) => {
    const id = c.req.valid('param').id;
    const [cluster] = await db
      .select()
      .from(clusters)
      .where(visibleTo(c.get('user'), clusters.organizationId, eq(clusters.id, id)));
    const target = withinReach(c.get('user'), cluster, `Cluster ${id}`);
    requireRole(c.get('user'), 'org_admin', 'check clusters');
    return c.json(await checkClusterConnectivity(accessOf(target, cipher), requiredPermissions('kiln-builds')), 200);
  };
  const status: RouteHandler<typeof deploymentStatus, AppEnv> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const cluster = await serviceCluster(db, service);
    const none = { availableReplicas: 0, replicas: 0 };
    if (!cluster)
      return c.json({ state: 'NotConfigured' as const, ...none, message: 'No cluster is set on the service.' }, 200);
    const namespace = deployNamespaceOf(service);
    try {
      const result = await getDeploymentStatus({
        kubeconfig: accessOf(cluster, cipher),
        namespace,
        serviceName: service.name,
      });
      return c.json({ ...result, namespace }, 200);
    } catch (error) {
      return c.json({ state: 'Failed' as const, ...none, namespace, message: (error as Error).message }, 200);
    }
  };
  const roll: RouteHandler<typeof rollback, AppEnv> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const cluster = await serviceCluster(db, service);
    if (!cluster) throw apiError(409, 'The service has no cluster, so nothing was deployed to roll back.');
    const access = accessOf(cluster, cipher);
    const namespace = deployNamespaceOf(service);
    const current = await getDeploymentStatus({ kubeconfig: access, namespace, serviceName: service.name }).catch(
      () => null,
    );
    const successful = await db
      .select()
      .from(builds)
      .where(
        and(
          eq(builds.serviceId, service.id),
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
    const runningDigest = current?.image?.split('@')[1];
    const previous = successful.find((build) => build.digest !== runningDigest && build.images[0]);
    if (!previous) throw apiError(409, 'No earlier successful build with a different image exists to roll back to.');
    try {
      const result = await rollbackService({
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
  return createRouter().openapi(checkCluster, check).openapi(deploymentStatus, status).openapi(rollback, roll);
}
