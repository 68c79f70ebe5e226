import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createPipelineHandlers } from './pipelines.handlers';
import * as routes from './pipelines.routes';

/** Pipelines router; mount with `.route('/services', pipelinesRouter(deps))`. */
export function pipelinesRouter(deps: AppDeps) {
  const h = createPipelineHandlers(deps);
  return createRouter()
    .openapi(routes.listPipelines, h.listPipelines)
    .openapi(routes.runPipeline, h.runPipeline)
    .openapi(routes.getPipeline, h.getPipeline)
    .openapi(routes.cancelPipeline, h.cancelPipeline)
    .openapi(routes.retryPipeline, h.retryPipeline)
    .openapi(routes.getJobLog, h.getJobLog);
}
