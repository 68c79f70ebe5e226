import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createOrganizationHandlers } from './organizations.handlers';
import * as routes from './organizations.routes';

/** `/organizations` router. */
export function organizationsRouter(deps: AppDeps) {
  const h = createOrganizationHandlers(deps);
  return createRouter()
    .openapi(routes.listOrganizations, h.listOrganizations)
    .openapi(routes.createOrganization, h.createOrganization)
    .openapi(routes.getOrganization, h.getOrganization)
    .openapi(routes.updateOrganization, h.updateOrganization)
    .openapi(routes.deleteOrganization, h.deleteOrganization);
}
