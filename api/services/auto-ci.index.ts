import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createAutoCiHandlers } from './auto-ci.handlers';
import * as routes from './auto-ci.routes';

/** `/services/{id}/auto-ci` router. */
export function autoCiRouter(deps: AppDeps) {
  const h = createAutoCiHandlers(deps);
  return createRouter().openapi(routes.getAutoCi, h.getAutoCi).openapi(routes.putAutoCi, h.putAutoCi);
}
