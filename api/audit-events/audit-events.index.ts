import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createAuditEventHandlers } from './audit-events.handlers';
import * as routes from './audit-events.routes';

/** `/audit-events` router. */
export function auditEventsRouter(deps: AppDeps) {
  const h = createAuditEventHandlers(deps);
  return createRouter().openapi(routes.listAuditEvents, h.listAuditEvents);
}
