import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, jsonResponse } from '../openapi';
import { MAX_STORED_REJECTIONS, REJECTION_WRITES_PER_MINUTE } from './rejections';
import { rejectionPageSchema, rejectionsQuery } from './rejections.schemas';

export const listWebhookRejections = createRoute({
  tags: ['Webhooks'],
  security: bearerSecurity,
  method: 'get',
  path: '/webhook-rejections',
  summary: 'Webhook deliveries Kiln refused before a secret vouched for them (organization admins and above)',
  description:
    'Unauthenticated deliveries (unknown repository, wrong secret or signature, malformed) never enter a ' +
    "service's delivery history. Kiln keeps the newest " +
    `${MAX_STORED_REJECTIONS} of them instance-wide, writes at most ${REJECTION_WRITES_PER_MINUTE} a minute and ` +
    'keeps only event, user agent, claimed delivery id and content length (each at most 200 characters). ' +
    'Organization admins see those that named a repository of their organization; instance admins see all.',
  request: { query: rejectionsQuery },
  responses: { 200: jsonResponse(rejectionPageSchema, 'Rejections, newest first'), ...commonErrors },
});
