import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createWorkflowHistoryHandlers } from './workflow-history.handlers';
import * as routes from './workflow-history.routes';

/** `GET /builds/{id}/workflow-history`; mount with `.route('/', workflowHistoryRouter(deps))`. */
export function workflowHistoryRouter(deps: AppDeps) {
  return createRouter().openapi(routes.getWorkflowHistory, createWorkflowHistoryHandlers(deps).getWorkflowHistory);
}
