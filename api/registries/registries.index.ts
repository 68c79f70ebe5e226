import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createRegistryHandlers } from './registries.handlers';
import * as routes from './registries.routes';

/** `/registries` router. */
export function registriesRouter(deps: AppDeps) {
  const h = createRegistryHandlers(deps);
  return createRouter()
    .openapi(routes.listRegistries, h.listRegistries)
    .openapi(routes.createRegistry, h.createRegistry)
    .openapi(routes.getRegistry, h.getRegistry)
    .openapi(routes.updateRegistry, h.updateRegistry)
    .openapi(routes.deleteRegistry, h.deleteRegistry);
}
