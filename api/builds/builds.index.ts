import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createBuildHandlers } from './builds.handlers';
import * as routes from './builds.routes';

/** Builds router: list, trigger, detail, cancel, retry. */
export function buildsRouter(deps: AppDeps) {
  const h = createBuildHandlers(deps);
  return createRouter()
    .openapi(routes.listBuilds, h.listBuilds)
    .openapi(routes.listServiceBuilds, h.listServiceBuilds)
    .openapi(routes.triggerBuild, h.triggerBuild)
    .openapi(routes.getBuild, h.getBuild)
    .openapi(routes.cancelBuild, h.cancelBuild)
    .openapi(routes.retryBuild, h.retryBuild);
}
