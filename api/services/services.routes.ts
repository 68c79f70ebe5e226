import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { createServiceHandlers } from './services.handlers';
import { serviceInput, servicePatch, serviceSchema } from './services.schemas';

const base = { tags: ['Services'], security: bearerSecurity };
export const listServices = createRoute({
  ...base,
  method: 'get',
  path: '/',
  summary: 'Services of your organization (member; instance admins: all, or ?organizationId=)',
  request: { query: z.object({ organizationId: z.string().uuid().optional() }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(serviceSchema) }), 'Services'), ...commonErrors },
});
export const createService = createRoute({
  ...base,
  method: 'post',
  path: '/',
  summary: 'Register a service (Git repository + registry + cluster); a webhook secret is generated (member)',
  request: jsonBody(serviceInput),
  responses: { 201: jsonResponse(serviceSchema, 'Created'), ...commonErrors },
});
export const getService = createRoute({
  ...base,
  method: 'get',
  path: '/{id}',
  summary: 'A service (member)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(serviceSchema, 'Service'), ...commonErrors },
});
export const updateService = createRoute({
  ...base,
  method: 'patch',
  path: '/{id}',
  summary: 'Change a service (member)',
  request: { params: uuidParam, ...jsonBody(servicePatch) },
  responses: { 200: jsonResponse(serviceSchema, 'Updated'), ...commonErrors },
});
export const deleteService = createRoute({
  ...base,
  method: 'delete',
  path: '/{id}',
  summary: 'Delete a service with its settings, builds and deliveries (member)',
  request: { params: uuidParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});

/** `/services` CRUD router. */
export function servicesRouter(deps: AppDeps) {
  const h = createServiceHandlers(deps);
  return createRouter()
    .openapi(listServices, h.list)
    .openapi(createService, h.create)
    .openapi(getService, h.get)
    .openapi(updateService, h.update)
    .openapi(deleteService, h.remove);
}
