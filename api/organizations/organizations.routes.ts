import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { createOrganizationHandlers } from './organizations.handlers';

export const organizationSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    baseImagePrefix: z.string().nullable().openapi({
      description:
        'Registry mirror prefix put before the base images of Build Wizard Dockerfiles; null for the official images',
    }),
    createdAt: z.string(),
  })
  .openapi('Organization');
export const organizationInput = z.object({
  name: z.string().trim().min(1).max(100).openapi({ example: 'platform-team' }),
});

export const organizationUpdate = z
  .object({
    name: organizationInput.shape.name.optional(),
    baseImagePrefix: z.string().trim().max(200).nullable().optional().openapi({
      example: 'mirror.acme.dev/dockerhub/',
      description: 'Ends in "/"; null or "" for the official images',
    }),
  })
  .strict();

const tags = ['Organizations'];
export const listOrganizations = createRoute({
  method: 'get',
  path: '/',
  tags,
  security: bearerSecurity,
  summary: 'Organizations the caller can see (member; instance admins see all, everyone else their own)',
  responses: { 200: jsonResponse(z.object({ items: z.array(organizationSchema) }), 'Organizations'), ...commonErrors },
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

/** `/organizations` router. */
export function organizationsRouter(deps: AppDeps) {
  const h = createOrganizationHandlers(deps);
  return createRouter()
    .openapi(listOrganizations, h.list)
    .openapi(createOrganization, h.create)
    .openapi(getOrganization, h.get)
    .openapi(updateOrganization, h.update)
    .openapi(deleteOrganization, h.remove);
}
