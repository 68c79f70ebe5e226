import { createRoute, z } from '@hono/zod-openapi';
import type { RouteHandler } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { checkRegistry } from '../../activities/registry-check';
import { registries } from '../../db/schema';
import { requireRole } from '../auth';
import type { AppDeps, AppEnv } from '../deps';
import { apiError } from '../errors';
import { bearerSecurity, commonErrors, createRouter, errorSchema, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { visibleTo, withinReach } from '../scope';
import { registryUrl } from './registries.routes';
import { registryKinds } from '../../domain/connections';
import { registryHost } from '../../domain/registry-host';

const checkSchema = z
  .object({
    host: z.string(),
    authenticated: z.boolean().openapi({ description: 'The registry asked for a login and accepted it' }),
    message: z.string(),
  })
  .openapi('RegistryCheck');
const checkInput = z.object({
  kind: z.enum(registryKinds),
  url: registryUrl.optional().openapi({ description: 'Registry host; defaults to docker.io for Docker Hub' }),
  username: z.string().trim().min(1),
  password: z.string().min(1),
  insecure: z.boolean().default(false),
});
const checkErrors = {
  422: jsonResponse(errorSchema, 'Unreachable, not a registry, or the login was refused (the message says which)'),
};
const base = { tags: ['Registries'], security: bearerSecurity };
export const checkNewRegistry = createRoute({
  ...base,
  method: 'post',
  path: '/registry-checks',
  summary: 'Test a registry before adding it: GET /v2/ with the credentials (organization admin)',
  request: jsonBody(checkInput),
  responses: { 200: jsonResponse(checkSchema, 'The registry answers'), ...commonErrors, ...checkErrors },
});
export const checkStoredRegistry = createRoute({
  ...base,
  method: 'post',
  path: '/registries/{id}/check',
  summary: "Test a registry's stored credentials against GET /v2/ (organization admin)",
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(checkSchema, 'The registry answers'),
    ...commonErrors,
    ...checkErrors,
    409: jsonResponse(errorSchema, 'The registry has no password since its URL changed'),
  },
});

async function answer(auth: Parameters<typeof checkRegistry>[0]) {
  try {
    return await checkRegistry(auth);
  } catch (error) {
    throw apiError(422, (error as Error).message);
  }
}

/** Registry Test connection; mount with `.route('/', registryChecksRouter(deps))`. */
export function registryChecksRouter({ db, cipher }: AppDeps) {
  const checkNew: RouteHandler<typeof checkNewRegistry, AppEnv> = async (c) => {
    requireRole(c.get('user'), 'org_admin', 'test registries');
    const { kind, url, username, password, insecure } = c.req.valid('json');
    const resolved = url ?? (kind === 'dockerhub' ? 'docker.io' : undefined);
    if (!resolved) throw apiError(400, `A ${kind} registry needs its url (host[:port]).`);
    return c.json(await answer({ host: registryHost(resolved), username, password, insecure }), 200);
  };
  const checkStored: RouteHandler<typeof checkStoredRegistry, AppEnv> = async (c) => {
    const user = c.get('user');
    const { id } = c.req.valid('param');
    const [row] = await db
      .select()
      .from(registries)
      .where(visibleTo(user, registries.organizationId, eq(registries.id, id)));
    const registry = withinReach(user, row, `Registry ${id}`);
    requireRole(user, 'org_admin', 'test registries');
    if (registry.passwordEnc === '') {
      throw apiError(409, `Registry ${registry.name} has no password since its URL changed; enter it again.`);
    }
    const auth = {
      host: registryHost(registry.url),
      username: registry.username,
      password: cipher.decrypt(registry.passwordEnc),
      insecure: registry.insecure,
    };
    return c.json(await answer(auth), 200);
  };
  return createRouter().openapi(checkNewRegistry, checkNew).openapi(checkStoredRegistry, checkStored);
}
