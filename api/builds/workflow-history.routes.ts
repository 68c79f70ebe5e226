import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, errorSchema, jsonResponse, uuidParam } from '../openapi';
import { workflowHistorySchema } from './workflow-history.schemas';

/** `GET /builds/{id}/workflow-history`. */
export const getWorkflowHistory = createRoute({
  method: 'get',
  path: '/builds/{id}/workflow-history',
  tags: ['Builds'],
  security: bearerSecurity,
  summary:
    "The build workflow's event history read through the Temporal client, for Kiln without a Temporal Web UI (member)",
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(workflowHistorySchema, 'Events, oldest first'),
    ...commonErrors,
    503: jsonResponse(errorSchema, 'Temporal did not answer'),
  },
});
