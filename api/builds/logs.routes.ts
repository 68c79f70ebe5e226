import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, jsonResponse, uuidParam } from '../openapi';
import { eventStreamSchema, logPageSchema, logStreamQuery, logsQuery } from './logs.schemas';

export const getBuildLogs = createRoute({
  method: 'get',
  path: '/builds/{id}/logs',
  tags: ['Builds'],
  security: bearerSecurity,
  summary: 'Build log lines in order, paged by seq, optionally filtered by a search text (member)',
  request: { params: uuidParam, query: logsQuery },
  responses: {
    200: jsonResponse(logPageSchema, 'Log lines'),
    ...commonErrors,
  },
});
export const streamBuildLogs = createRoute({
  method: 'get',
  path: '/builds/{id}/logs/stream',
  tags: ['Builds'],
  security: bearerSecurity,
  summary:
    'Live log (Server-Sent Events): `log` events (id = seq), `status` events, and `end` when the build finishes (member)',
  description: 'Resume with the Last-Event-ID header or ?afterSeq=. Works across processes (polls the database).',
  request: { params: uuidParam, query: logStreamQuery },
  responses: {
    200: { content: { 'text/event-stream': { schema: eventStreamSchema } }, description: 'Event stream' },
    ...commonErrors,
  },
});
