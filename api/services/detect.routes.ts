import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, errorSchema, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { detectInput, detectionSchema } from './detect.schemas';

export const detectService = createRoute({
  tags: ['Services'],
  security: bearerSecurity,
  method: 'post',
  path: '/{id}/detect',
  summary:
    'Detect language, framework, package manager, Dockerfile and monorepo sub-projects of the repository (member)',
  request: { params: uuidParam, ...jsonBody(detectInput, false) },
  responses: {
    200: jsonResponse(detectionSchema, 'What the repository is'),
    ...commonErrors,
    422: jsonResponse(errorSchema, 'The repository could not be read (clone failed, unknown branch)'),
  },
});
