import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createDeliveryHandlers } from './deliveries.handlers';
import * as routes from './deliveries.routes';

/** `/services/{id}/webhook/deliveries` router. */
export function deliveriesRouter(deps: AppDeps) {
  const h = createDeliveryHandlers(deps);
  return createRouter()
    .openapi(routes.listDeliveries, h.listDeliveries)
    .openapi(routes.getDelivery, h.getDelivery)
    .openapi(routes.redeliver, h.redeliver);
}
