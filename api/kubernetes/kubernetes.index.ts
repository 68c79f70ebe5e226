import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createKubernetesHandlers } from './kubernetes.handlers';
import * as routes from './kubernetes.routes';

/** Cluster connectivity, deployment status and rollback; mount with `.route('/', kubernetesRouter(deps))`. */
export function kubernetesRouter(deps: AppDeps) {
  const h = createKubernetesHandlers(deps);
  return createRouter()
    .openapi(routes.checkCluster, h.checkCluster)
    .openapi(routes.getDeploymentStatus, h.getDeploymentStatus)
    .openapi(routes.rollbackService, h.rollbackService);
}
