import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createGitProviderHandlers } from './git-providers.handlers';
import * as routes from './git-providers.routes';

/** `/git-providers` router. */
export function gitProvidersRouter(deps: AppDeps) {
  const h = createGitProviderHandlers(deps);
  return createRouter()
    .openapi(routes.listGitProviders, h.listGitProviders)
    .openapi(routes.createGitProvider, h.createGitProvider)
    .openapi(routes.getGitProvider, h.getGitProvider)
    .openapi(routes.updateGitProvider, h.updateGitProvider)
    .openapi(routes.deleteGitProvider, h.deleteGitProvider);
}
