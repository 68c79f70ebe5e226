import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createServiceHandlers } from './services.handlers';
import * as routes from './services.routes';

/** `/services` CRUD router. */
export function servicesRouter(deps: AppDeps) {
  const h = createServiceHandlers(deps);
  return createRouter()
    .openapi(routes.listServices, h.listServices)
    .openapi(routes.createService, h.createService)
    .openapi(routes.getService, h.getService)
    .openapi(routes.updateService, h.updateService)
    .openapi(routes.deleteService, h.deleteService);
}
