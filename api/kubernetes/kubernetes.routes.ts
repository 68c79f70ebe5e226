import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, errorSchema, jsonResponse, uuidParam } from '../openapi';
import { connectivitySchema, deploymentSchema, rollbackSchema } from './kubernetes.schemas';

/** `POST /clusters/{id}/check`: reachability and permissions of a runtime environment. */
export const checkCluster = createRoute({
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
/** `GET /services/{id}/deployment`: the service's Deployment, read once. */
export const getDeploymentStatus = createRoute({
  tags: ['Services'],
  security: bearerSecurity,
  method: 'get',
  path: '/services/{id}/deployment',
  summary: "The service's Deployment as the Deploy and Operate stages show it (member)",
  request: { params: uuidParam },
  responses: { 200: jsonResponse(deploymentSchema, 'Deployment status'), ...commonErrors },
});
/** `POST /services/{id}/rollback`: runs workflows/rollback.ts and waits for its result. */
export const rollbackService = createRoute({
  tags: ['Services'],
  security: bearerSecurity,
  method: 'post',
  path: '/services/{id}/rollback',
  summary: 'Redeploy the previous successful image (by digest) through a workflow and wait for the rollout (member)',
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(rollbackSchema, 'Rolled back'),
    ...commonErrors,
    409: jsonResponse(errorSchema, 'Nothing to roll back to, or a rollback of the service is already running'),
    422: jsonResponse(errorSchema, 'The rollout failed or the cluster refused'),
  },
});
