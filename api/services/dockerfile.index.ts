import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createDockerfileHandlers } from './dockerfile.handlers';
import * as routes from './dockerfile.routes';

/** `/services/{id}/dockerfile` router: the Build Wizard. */
export function dockerfileRouter(deps: AppDeps) {
  const h = createDockerfileHandlers(deps);
  return createRouter()
    .openapi(routes.proposeDockerfile, h.proposeDockerfile)
    .openapi(routes.getWizardDockerfile, h.getWizardDockerfile)
    .openapi(routes.useWizardDockerfile, h.useWizardDockerfile)
    .openapi(routes.forgetWizardDockerfile, h.forgetWizardDockerfile)
    .openapi(routes.openChangeRequest, h.openChangeRequest);
}
