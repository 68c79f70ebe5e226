import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createClusterHandlers } from './clusters.handlers';
import * as routes from './clusters.routes';

/** `/clusters` router. */
export function clustersRouter(deps: AppDeps) {
  const h = createClusterHandlers(deps);
  return createRouter()
    .openapi(routes.listClusters, h.listClusters)
    .openapi(routes.createCluster, h.createCluster)
    .openapi(routes.getCluster, h.getCluster)
    .openapi(routes.updateCluster, h.updateCluster)
    .openapi(routes.deleteCluster, h.deleteCluster);
}
