import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createRejectionHandlers } from './rejections.handlers';
import * as routes from './rejections.routes';

/** `GET /webhook-rejections`. */
export function webhookRejectionsRouter(deps: AppDeps) {
  const h = createRejectionHandlers(deps);
  return createRouter().openapi(routes.listWebhookRejections, h.listWebhookRejections);
}
