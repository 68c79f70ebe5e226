import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { autoCiInput, autoCiSchema, savedAutoCiSchema } from './auto-ci.schemas';

const base = { tags: ['Auto CI'], security: bearerSecurity };

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
  responses: { 200: jsonResponse(savedAutoCiSchema, 'Saved, with the image-pull Secret outcome'), ...commonErrors },
});
