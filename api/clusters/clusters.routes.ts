import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { createClusterHandlers } from './clusters.handlers';
import { clusterModes } from '../../domain/connections';

export const clusterSchema = z
  .object({
    id: z.string().uuid(),
    organizationId: z.string().uuid(),
    name: z.string(),
    mode: z.enum(clusterModes),
    context: z.string().nullable(),
    server: z.string().nullable().openapi({ description: 'API server URL from the kubeconfig' }),
    hasKubeconfig: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Cluster');
export const clusterInput = z
  .object({
    organizationId: z.string().uuid().optional(),
    name: z.string().trim().min(1).max(100),
    mode: z.enum(clusterModes),
    kubeconfig: z.string().min(1).optional().openapi({ description: 'Required when mode is kubeconfig' }),
    context: z.string().min(1).optional(),
  })
  .refine((v) => v.mode === 'in-cluster' || v.kubeconfig, {
    message: 'a kubeconfig is required when mode is "kubeconfig"',
    path: ['kubeconfig'],
  });
export const clusterPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).nullable().optional(),
});

const base = { tags: ['Runtime environments'], security: bearerSecurity };
export const listClusters = createRoute({
  ...base,
  method: 'get',
  path: '/',
  summary: 'Runtime environments of your organization, never the kubeconfigs (member: read)',
  request: { query: z.object({ organizationId: z.string().uuid().optional() }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(clusterSchema) }), 'Clusters'), ...commonErrors },
});
export const createCluster = createRoute({
  ...base,
  method: 'post',
  path: '/',
  summary: 'Register a Kubernetes cluster (organization admin; in-cluster mode: instance admin)',
  request: jsonBody(clusterInput),
  responses: { 201: jsonResponse(clusterSchema, 'Created'), ...commonErrors },
});
export const getCluster = createRoute({
  ...base,
  method: 'get',
  path: '/{id}',
  summary: 'A runtime environment, never the kubeconfig (member: read)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(clusterSchema, 'Cluster'), ...commonErrors },
});
export const updateCluster = createRoute({
  ...base,
  method: 'patch',
  path: '/{id}',
  summary: 'Change a runtime environment (organization admin; in-cluster mode: instance admin)',
  request: { params: uuidParam, ...jsonBody(clusterPatch) },
  responses: { 200: jsonResponse(clusterSchema, 'Updated'), ...commonErrors },
});
export const deleteCluster = createRoute({
  ...base,
  method: 'delete',
  path: '/{id}',
  summary: 'Remove a runtime environment no service uses (organization admin)',
  request: { params: uuidParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});

/** `/clusters` router. */
export function clustersRouter(deps: AppDeps) {
  const h = createClusterHandlers(deps);
  return createRouter()
    .openapi(listClusters, h.list)
    .openapi(createCluster, h.create)
    .openapi(getCluster, h.get)
    .openapi(updateCluster, h.update)
    .openapi(deleteCluster, h.remove);
}
