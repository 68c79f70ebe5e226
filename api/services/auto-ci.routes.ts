import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { autoCiInput, autoCiSchema } from './auto-ci.schemas';
import { createAutoCiHandlers } from './auto-ci.handlers';

const base = { tags: ['Auto CI'], security: bearerSecurity };

const pullSecretSchema = z
  .object({
    state: z.enum(['created', 'updated', 'unchanged', 'skipped', 'failed']),
    name: z.string().optional(),
    namespace: z.string().optional(),
    reason: z.string().optional(),
    message: z.string().optional().openapi({ description: 'Why the Secret could not be made, e.g. Permission denied' }),
  })
  .openapi('PullSecretSync', { description: 'The `{service}-registry-cred` image-pull Secret, made on every save' });
const savedSchema = autoCiSchema.extend({ pullSecret: pullSecretSchema });
export const getAutoCi = createRoute({
  ...base,
  method: 'get',
  path: '/{id}/auto-ci',
  summary: 'Auto CI settings of a service, with what is still missing before it can run (member)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(autoCiSchema, 'Settings'), ...commonErrors },
});
export const putAutoCi = createRoute({
  ...base,
  method: 'put',
  path: '/{id}/auto-ci',
  summary: 'Save Auto CI settings (fields left out keep their value) (member)',
  description:
    'Enabling needs a registry on the service and a Git connection for the organization; auto-deploy needs a cluster.',
  request: { params: uuidParam, ...jsonBody(autoCiInput) },
  responses: { 200: jsonResponse(savedSchema, 'Saved, with the image-pull Secret outcome'), ...commonErrors },
});

/** `/services/{id}/auto-ci` router. */
export function autoCiRouter(deps: AppDeps) {
  const h = createAutoCiHandlers(deps);
  return createRouter().openapi(getAutoCi, h.get).openapi(putAutoCi, h.put);
}
