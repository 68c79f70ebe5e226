import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createWebhookInfoHandlers } from './webhook-info.handlers';
import * as routes from './webhook-info.routes';

/** `/services/{id}/webhook` router. */
export function webhookInfoRouter(deps: AppDeps) {
  const h = createWebhookInfoHandlers(deps);
  return createRouter()
    .openapi(routes.getWebhookInfo, h.getWebhookInfo)
    .openapi(routes.rotateWebhookSecret, h.rotateWebhookSecret);
}
