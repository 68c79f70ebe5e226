import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createRegistryCheckHandlers } from './registry-checks.handlers';
import * as routes from './registry-checks.routes';

/** Registry Test connection; mount with `.route('/', registryChecksRouter(deps))`. */
export function registryChecksRouter(deps: AppDeps) {
  const h = createRegistryCheckHandlers(deps);
  return createRouter()
    .openapi(routes.checkNewRegistry, h.checkNewRegistry)
    .openapi(routes.checkStoredRegistry, h.checkStoredRegistry);
}
