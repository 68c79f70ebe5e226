import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, jsonResponse, uuidParam } from '../openapi';
import { webhookInfoSchema } from './webhook-info.schemas';

const base = { tags: ['Webhooks'], security: bearerSecurity };
export const getWebhookInfo = createRoute({
  ...base,
  method: 'get',
  path: '/{id}/webhook',
  summary: 'Webhook URL(s) and secret to paste into GitLab/GitHub (organization admin)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(webhookInfoSchema, 'Webhook settings'), ...commonErrors },
});
export const rotateWebhookSecret = createRoute({
  ...base,
  method: 'post',
  path: '/{id}/webhook/rotate',
  summary:
    'Replace the webhook secret; deliveries signed with the old one are rejected from now on (organization admin)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(webhookInfoSchema, 'New webhook settings'), ...commonErrors },
});
