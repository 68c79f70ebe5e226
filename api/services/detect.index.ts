import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createDetectHandlers } from './detect.handlers';
import * as routes from './detect.routes';

/** `POST /services/{id}/detect`. */
export function detectRouter(deps: AppDeps) {
  return createRouter().openapi(routes.detectService, createDetectHandlers(deps).detectService);
}
