import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, errorSchema, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { registryCheckInput, registryCheckSchema } from './registries.schemas';

const checkErrors = {
  422: jsonResponse(errorSchema, 'Unreachable, not a registry, or the login was refused (the message says which)'),
};
const base = { tags: ['Registries'], security: bearerSecurity };
export const checkNewRegistry = createRoute({
  ...base,
  method: 'post',
  path: '/registry-checks',
  summary: 'Test a registry before adding it: GET /v2/ with the credentials (organization admin)',
  request: jsonBody(registryCheckInput),
  responses: { 200: jsonResponse(registryCheckSchema, 'The registry answers'), ...commonErrors, ...checkErrors },
});
/** `POST /registries/{id}/check`. */
export const checkStoredRegistry = createRoute({
  ...base,
  method: 'post',
  path: '/registries/{id}/check',
  summary: "Test a registry's stored credentials against GET /v2/ (organization admin)",
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(registryCheckSchema, 'The registry answers'),
    ...commonErrors,
    ...checkErrors,
    409: jsonResponse(errorSchema, 'The registry has no password since its URL changed'),
  },
});
