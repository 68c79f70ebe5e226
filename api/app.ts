import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { auditCrossOrganization } from './audit';
import { auditEventsRouter } from './audit-events/audit-events.index';
import { bearerAuth } from './auth';
import type { AppDeps } from './deps';
import { docsRouter } from './docs';
import { errorBody } from './errors';
import { inputGuard } from './input-guard';
import { createRouter } from './openapi';
import { organizationsRouter } from './organizations/organizations.index';
import { usersRouter } from './users/users.index';
import { gitProvidersRouter } from './git-providers/git-providers.index';
import { registriesRouter } from './registries/registries.index';
import { clustersRouter } from './clusters/clusters.index';
import { servicesRouter } from './services/services.index';
import { autoCiRouter } from './services/auto-ci.index';
import { kubernetesRouter } from './kubernetes/kubernetes.index';
import { detectRouter } from './services/detect.index';
import { dockerfileRouter } from './services/dockerfile.index';
import { webhookInfoRouter } from './services/webhook-info.index';
import { deliveriesRouter } from './webhooks/deliveries.index';
import { webhookRejectionsRouter } from './webhooks/rejections.index';
import { webhooksRouter } from './webhooks/webhooks.index';
import { buildsRouter } from './builds/builds.index';
import { buildLogsRouter } from './builds/logs.index';
import { pipelinesRouter } from './pipelines/pipelines.index';
import { providerChecksRouter } from './provider-checks/provider-checks.index';
import { registryChecksRouter } from './registries/registry-checks.index';
import { workflowHistoryRouter } from './builds/workflow-history.index';

/** Where every API route lives. */
export const API_PREFIX = '/api/v1';

/** Builds the Kiln HTTP API. No clients are created here: everything comes from `deps`. */
export function createApp(deps: AppDeps) {
  const app = createRouter().basePath(API_PREFIX);
  // Chained, so `KilnApp` (the UI's client type) knows them too; the middleware below is registered after them.
  const publicRoutes = app
    .get('/health', (c) => c.json({ status: 'ok' as const }, 200))
    // Public on purpose: the sign-in page names where this Kiln wrote the admin token (a path, never the token).
    .get('/sign-in', (c) => c.json({ adminTokenFile: deps.config.adminTokenFile ?? null }, 200));
  app.route('/docs', docsRouter(`${API_PREFIX}/openapi.json`, `${API_PREFIX}/docs/assets`));
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Kiln API', version: '1', description: 'Builds and deploys container images from Git webhooks.' },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  // Webhooks authenticate with their own secrets; health and docs are public; everything else needs a token.
  const auth = bearerAuth(deps.db);
  app.use('*', (c, next) => (isPublicPath(c.req.path) ? next() : auth(c, next)));
  // After the response is ready: records an instance admin's actions in other organizations.
  app.use('*', auditCrossOrganization(deps.db, deps.logger));
  app.use('*', inputGuard({ skipBody: (path) => path.startsWith(`${API_PREFIX}/webhook/`) }));
  const routes = publicRoutes
    .route('/', usersRouter(deps))
    .route('/organizations', organizationsRouter(deps))
    .route('/audit-events', auditEventsRouter(deps))
    .route('/git-providers', gitProvidersRouter(deps))
    .route('/registries', registriesRouter(deps))
    .route('/', registryChecksRouter(deps))
    .route('/clusters', clustersRouter(deps))
    .route('/services', servicesRouter(deps))
    .route('/services', autoCiRouter(deps))
    .route('/services', webhookInfoRouter(deps))
    .route('/services', detectRouter(deps))
    .route('/services', dockerfileRouter(deps))
    .route('/', kubernetesRouter(deps))
    .route('/services', deliveriesRouter(deps))
    .route('/', webhookRejectionsRouter(deps))
    .route('/', buildsRouter(deps))
    .route('/', buildLogsRouter(deps))
    .route('/', workflowHistoryRouter(deps))
    .route('/services', pipelinesRouter(deps))
    .route('/', providerChecksRouter(deps))
    .route('/webhook', webhooksRouter(deps));
  app.notFound((c) => c.json(errorBody(404, `No route ${c.req.method} ${c.req.path}.`), 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return c.json(errorBody(error.status, error.message), error.status as ContentfulStatusCode);
    }
    if (isUniqueViolation(error)) {
      return c.json(errorBody(409, 'An object with the same name already exists; choose another name.'), 409);
    }
    deps.logger?.error({ err: error, path: c.req.path }, 'unhandled API error');
    return c.json({ error: 'InternalError', message: 'Kiln hit an unexpected error; see the server log.' }, 500);
  });
  return routes;
}

/** The app's type, for `hono/client` in the UI. */
export type KilnApp = ReturnType<typeof createApp>;

const publicPaths = /^\/api\/v1\/(health|sign-in|openapi\.json|docs(\/.*)?|webhook\/[^/]+)$/;
function isPublicPath(path: string): boolean {
  return publicPaths.test(path);
}

function isUniqueViolation(error: unknown): boolean {
  for (let current = error as { code?: string; cause?: unknown } | undefined; current;) {
    if (current.code === '23505') return true;
    current = current.cause as typeof current;
  }
  return false;
}
