import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createWebhookHandlers } from './webhooks.handlers';
import * as routes from './webhooks.routes';

/** `/webhook/{gitlab,github}`: public, authenticated by each service's webhook secret. */
export function webhooksRouter(deps: AppDeps) {
  const h = createWebhookHandlers(deps);
  return createRouter().openapi(routes.gitlabWebhook, h.gitlabWebhook).openapi(routes.githubWebhook, h.githubWebhook);
}
