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
import { serviceInput, servicePatch, serviceSchema } from './services.schemas';

const base = { tags: ['Services'], security: bearerSecurity };
export const listServices = createRoute({
  ...base,
  method: 'get',
  path: '/',
  summary: 'Services of your organization (member; instance admins: all, or ?organizationId=)',
  request: { query: organizationQuery },
  responses: { 200: jsonResponse(itemsOf(serviceSchema), 'Services'), ...commonErrors },
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
