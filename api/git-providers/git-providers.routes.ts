import { createRoute } from '@hono/zod-openapi';
import {
  bearerSecurity,
  commonErrors,
  errorSchema,
  itemsOf,
  jsonBody,
  jsonResponse,
  organizationQuery,
  uuidParam,
} from '../openapi';
import { checkedProviderSchema, gitProviderInput, gitProviderPatch, gitProviderSchema } from './git-providers.schemas';

const tokenRejected = {
  422: jsonResponse(errorSchema, 'The provider is unreachable or rejected the token (the reason says which)'),
};
const base = { tags: ['Git providers'], security: bearerSecurity };
export const listGitProviders = createRoute({
  ...base,
  method: 'get',
  path: '/',
  summary: 'Organization Git connections, never the tokens (member: read)',
  request: { query: organizationQuery },
  responses: { 200: jsonResponse(itemsOf(gitProviderSchema), 'Connections'), ...commonErrors },
});
export const createGitProvider = createRoute({
  ...base,
  method: 'post',
  path: '/',
  summary: 'Connect GitLab or GitHub for an organization (organization admin); every service uses it',
  request: jsonBody(gitProviderInput),
  responses: {
    201: jsonResponse(checkedProviderSchema, 'Created'),
    ...commonErrors,
    ...tokenRejected,
    409: jsonResponse(errorSchema, 'The organization already has a connection of this kind for that origin'),
  },
});
export const getGitProvider = createRoute({
  ...base,
  method: 'get',
  path: '/{id}',
  summary: 'A Git connection, never the token (member: read)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(gitProviderSchema, 'Connection'), ...commonErrors },
});
export const updateGitProvider = createRoute({
  ...base,
  method: 'patch',
  path: '/{id}',
  summary:
    'Change the base URL (another origin clears the stored token unless this request gives one) or replace the token (organization admin)',
  request: { params: uuidParam, ...jsonBody(gitProviderPatch) },
  responses: {
    200: jsonResponse(checkedProviderSchema, 'Updated'),
    ...commonErrors,
    ...tokenRejected,
    409: jsonResponse(errorSchema, 'Another connection of this kind already has that origin'),
  },
});
export const deleteGitProvider = createRoute({
  ...base,
  method: 'delete',
  path: '/{id}',
  summary: 'Remove a Git connection (organization admin)',
  request: { params: uuidParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});
