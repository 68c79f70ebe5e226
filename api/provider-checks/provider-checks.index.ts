import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createProviderCheckHandlers } from './provider-checks.handlers';
import * as routes from './provider-checks.routes';

/** Token checks and one-click webhook registration; mount with `.route('/', providerChecksRouter(deps))`. */
export function providerChecksRouter(deps: AppDeps) {
  const h = createProviderCheckHandlers(deps);
  return createRouter()
    .openapi(routes.checkNewToken, h.checkNewToken)
    .openapi(routes.checkStoredToken, h.checkStoredToken)
    .openapi(routes.registerServiceWebhook, h.registerServiceWebhook)
    .openapi(routes.checkGitServer, h.checkGitServer);
}
