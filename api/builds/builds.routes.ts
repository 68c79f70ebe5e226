import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, errorSchema, jsonBody, jsonResponse, uuidParam } from '../openapi';
import {
  buildDetailSchema,
  buildListQuery,
  buildPage,
  buildSchema,
  cancelInput,
  cancellingSchema,
  triggerInput,
} from './builds.schemas';

const base = { tags: ['Builds'], security: bearerSecurity };
const conflict = { 409: jsonResponse(errorSchema, 'Not possible in the build’s current state') };
export const listBuilds = createRoute({
  ...base,
  method: 'get',
  path: '/builds',
  summary: 'Builds, newest first, filtered by service, status, branch, trigger or event (member)',
  request: { query: buildListQuery },
  responses: { 200: jsonResponse(buildPage, 'A page of builds'), ...commonErrors },
});
/** `GET /services/{id}/builds`. */
export const listServiceBuilds = createRoute({
  ...base,
  method: 'get',
  path: '/services/{id}/builds',
  summary: "A service's builds, newest first (member)",
  request: { params: uuidParam, query: buildListQuery.omit({ serviceId: true }) },
  responses: { 200: jsonResponse(buildPage, 'A page of builds'), ...commonErrors },
});
export const triggerBuild = createRoute({
  ...base,
  method: 'post',
  path: '/services/{id}/builds',
  summary: 'Trigger a build of a branch (default: the service’s default branch, main) (member)',
  request: { params: uuidParam, ...jsonBody(triggerInput, false) },
  responses: { 201: jsonResponse(buildSchema, 'Build started'), ...commonErrors, ...conflict },
});
export const getBuild = createRoute({
  ...base,
  method: 'get',
  path: '/builds/{id}',
  summary: 'A build with its sub-project builds (member)',
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(buildDetailSchema, 'Build with its sub-project builds'),
    ...commonErrors,
  },
});
export const cancelBuild = createRoute({
  ...base,
  method: 'post',
  path: '/builds/{id}/cancel',
  summary: 'Ask a Pending or Building build to stop; it ends as Cancelled (member)',
  request: {
    params: uuidParam,
    ...jsonBody(cancelInput, false),
  },
  responses: {
    202: jsonResponse(cancellingSchema, 'Cancel requested'),
    ...commonErrors,
    ...conflict,
  },
});
export const retryBuild = createRoute({
  ...base,
  method: 'post',
  path: '/builds/{id}/retry',
  summary: 'Start a new build with the same ref and commit as a Failed or Cancelled one (member)',
  request: { params: uuidParam },
  responses: { 201: jsonResponse(buildSchema, 'New build started'), ...commonErrors, ...conflict },
});
