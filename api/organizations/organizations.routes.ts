import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, itemsOf, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { organizationInput, organizationSchema, organizationUpdate } from './organizations.schemas';

const tags = ['Organizations'];
export const listOrganizations = createRoute({
  method: 'get',
  path: '/',
  tags,
  security: bearerSecurity,
  summary: 'Organizations the caller can see (member; instance admins see all, everyone else their own)',
  responses: { 200: jsonResponse(itemsOf(organizationSchema), 'Organizations'), ...commonErrors },
});
export const createOrganization = createRoute({
  method: 'post',
  path: '/',
  tags,
  security: bearerSecurity,
  summary: 'Create an organization (instance admin); then create its first admin with POST /users',
  request: jsonBody(organizationInput),
  responses: { 201: jsonResponse(organizationSchema, 'Created'), ...commonErrors },
});
export const getOrganization = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  security: bearerSecurity,
  summary: 'One organization (member of it; instance admin)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(organizationSchema, 'Organization'), ...commonErrors },
});
export const updateOrganization = createRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  security: bearerSecurity,
  summary: 'Rename an organization or set its base-image mirror prefix (organization admin of it; instance admin)',
  request: { params: uuidParam, ...jsonBody(organizationUpdate) },
  responses: { 200: jsonResponse(organizationSchema, 'Updated'), ...commonErrors },
});
export const deleteOrganization = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  security: bearerSecurity,
  summary: 'Delete an organization and everything in it (instance admin; not their own)',
  request: { params: uuidParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});
