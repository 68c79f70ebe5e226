import { createRoute } from '@hono/zod-openapi';
import { jsonResponse } from '../openapi';
import { webhookResultSchema } from './webhooks.schemas';

const responses = {
  200: jsonResponse(
    webhookResultSchema,
    'Processed: builds started (durably) or the reason none was (`reason`: e.g. fork_merge_request, ' +
      'fork_pull_request, draft_pull_request, pull_request_action, invalid_ref), or the builds a closed change ' +
      'cancelled. ' +
      'Pings and ignored events get the same 200 whether or not the repository and secret matched.',
  ),
  400: jsonResponse(webhookResultSchema, 'Malformed body or missing event header'),
  401: jsonResponse(
    webhookResultSchema,
    'Unknown repository or wrong secret token / signature: one answer for both. Not kept in any service history; ' +
      'admins see it in GET /webhook-rejections',
  ),
  413: jsonResponse(webhookResultSchema, 'Payload over 25 MB'),
  503: jsonResponse(
    webhookResultSchema,
    "Recorded, but the build workflow could not be started (or a closed change's build not cancelled); redeliver",
  ),
};
export const gitlabWebhook = createRoute({
  method: 'post',
  path: '/gitlab',
  tags: ['Webhooks'],
  summary:
    'GitLab webhook: Push Hook, Tag Push Hook, Merge Request Hook (close/merge cancels its builds); X-Gitlab-Token or webhook-signature',
  responses,
});
export const githubWebhook = createRoute({
  method: 'post',
  path: '/github',
  tags: ['Webhooks'],
  summary:
    'GitHub webhook: push and pull_request (closed cancels its builds), ping (X-Hub-Signature-256); other events are acknowledged and ignored',
  responses,
});
