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
import { registryInput, registryPatch, registrySchema, updatedRegistrySchema } from './registries.schemas';

const base = { tags: ['Registries'], security: bearerSecurity };
export const listRegistries = createRoute({
  ...base,
  method: 'get',
  path: '/',
  summary: 'Registries of your organization, never the passwords (member: read)',
  request: { query: organizationQuery },
  responses: { 200: jsonResponse(itemsOf(registrySchema), 'Registries'), ...commonErrors },
});
export const createRegistry = createRoute({
  ...base,
  method: 'post',
  path: '/',
  summary: 'Add a Harbor, Docker Hub or other OCI registry (organization admin)',
  request: jsonBody(registryInput),
  responses: { 201: jsonResponse(registrySchema, 'Created'), ...commonErrors },
});
export const getRegistry = createRoute({
  ...base,
  method: 'get',
  path: '/{id}',
  summary: 'A registry, never the password (member: read)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(registrySchema, 'Registry'), ...commonErrors },
});
export const updateRegistry = createRoute({
  ...base,
  method: 'patch',
  path: '/{id}',
  summary:
    'Change a registry (organization admin); a new host or scheme (insecure changed) clears the stored password unless this request gives one',
  request: { params: uuidParam, ...jsonBody(registryPatch) },
  responses: {
    200: jsonResponse(updatedRegistrySchema, 'Updated'),
    ...commonErrors,
  },
});
export const deleteRegistry = createRoute({
  ...base,
  method: 'delete',
  path: '/{id}',
  summary: 'Remove a registry no service uses (organization admin)',
  request: { params: uuidParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});
