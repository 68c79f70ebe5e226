import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createBuildLogHandlers, type LogStreamTiming } from './logs.handlers';
import * as routes from './logs.routes';

/** Build log routes: paged lines and the live SSE stream. */
export function buildLogsRouter(deps: AppDeps, timing: LogStreamTiming = {}) {
  const h = createBuildLogHandlers(deps, timing);
  return createRouter().openapi(routes.getBuildLogs, h.getBuildLogs).openapi(routes.streamBuildLogs, h.streamBuildLogs);
}
