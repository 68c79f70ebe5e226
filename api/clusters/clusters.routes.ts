import { createRoute } from '@hono/zod-openapi';
import {
  bearerSecurity,
  commonErrors,
  itemsOf,
  jsonBody,
  jsonResponse,
  organizationQuery,
  uuidParam,
} from '../openapi';
import { clusterInput, clusterPatch, clusterSchema } from './clusters.schemas';

const base = { tags: ['Runtime environments'], security: bearerSecurity };
export const listClusters = createRoute({
  ...base,
  method: 'get',
  path: '/',
  summary: 'Runtime environments of your organization, never the kubeconfigs (member: read)',
  request: { query: organizationQuery },
  responses: { 200: jsonResponse(itemsOf(clusterSchema), 'Clusters'), ...commonErrors },
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
