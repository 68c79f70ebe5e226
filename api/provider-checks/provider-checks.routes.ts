import { createRoute, z } from '@hono/zod-openapi';
import type { RouteHandler } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { loadProviderConnection, plainGitMessage } from '../../activities/providers/connection';
import { webhookUrl } from '../../activities/providers/links';
import { registerWebhook } from '../../activities/providers/webhook-registration';
import { gitProviders } from '../../db/schema';
import { requireRole } from '../auth';
import type { AppDeps, AppEnv } from '../deps';
import { apiError } from '../errors';
import { bearerSecurity, commonErrors, createRouter, errorSchema, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { visibleTo, withinReach } from '../scope';
import { loadVisibleService } from '../services/load-service';
import { viaProvider } from '../pipelines/provider-failure';
import { verifyProviderToken } from './verify-token';
import { checkGitRepository } from './git-check';
import { connectionOrigin, originOf } from '../../domain/credentials';
import { gitProviderKinds } from '../../domain/connections';

const defaultBaseUrl = { gitlab: 'https://gitlab.com', github: 'https://github.com' } as const;

const tokenCheckSchema = z
  .object({
    kind: z.enum(gitProviderKinds),
    identity: z.string(),
    tokenType: z.enum(['gitlab-access-token', 'github-classic', 'github-fine-grained']),
    scopes: z.array(z.string()).nullable(),
    expiresAt: z.string().nullable(),
    warnings: z.array(z.string()),
  })
  .openapi('TokenCheck');
const tokenCheckInput = z.object({
  kind: z.enum(gitProviderKinds),
  baseUrl: z.string().url().optional().openapi({ description: 'Defaults to https://gitlab.com or https://github.com' }),
  token: z.string().trim().min(1),
});
const registrationSchema = z
  .object({
    hookId: z.number().int(),
    outcome: z.enum(['created', 'updated', 'unchanged']),
    url: z.string(),
    events: z.array(z.string()),
  })
  .openapi('WebhookRegistration');
const registrationInput = z.object({
  force: z
    .boolean()
    .default(false)
    .openapi({ description: 'Re-send settings and secret to an existing hook (after rotating the secret)' }),
});
const checkErrors = {
  422: jsonResponse(errorSchema, 'The token cannot work: unreachable address, rejected token or missing scope'),
  502: jsonResponse(errorSchema, 'The provider rejected the organization token or is unreachable'),
  503: jsonResponse(errorSchema, 'The provider rate limited Kiln'),
} as const;

const gitCheckSchema = z
  .object({ repositoryUrl: z.string(), branches: z.array(z.string()), usedToken: z.boolean(), message: z.string() })
  .openapi('GitCheck');
const gitCheckInput = z.object({
  repositoryUrl: z
    .string()
    .url()
    .openapi({ description: 'A repository on the Git server, e.g. https://git.acme.dev/team/app.git' }),
  token: z.string().trim().min(1).optional().openapi({ description: 'A token not stored yet' }),
  baseUrl: z
    .string()
    .url()
    .optional()
    .openapi({ description: 'Address the new token is for; the repository must be on it' }),
  connectionId: z.string().uuid().optional().openapi({ description: "Use this stored connection's token" }),
});

const base = { tags: ['Git providers'], security: bearerSecurity };
export const checkGitServer = createRoute({
  ...base,
  method: 'post',
  path: '/git-checks',
  summary:
    'Test a Git server without the GitLab/GitHub API (a plain git server): git ls-remote of a repository with the token (organization admin)',
  request: jsonBody(gitCheckInput),
  responses: {
    200: jsonResponse(gitCheckSchema, 'git reached the repository'),
    ...commonErrors,
    422: jsonResponse(errorSchema, 'git could not read the repository (what git said)'),
  },
});
export const checkNewToken = createRoute({
  ...base,
  method: 'post',
  path: '/provider-checks',
  summary: 'Check a token before registering it: reachable, accepted, scopes (organization admin)',
  request: jsonBody(tokenCheckInput),
  responses: { 200: jsonResponse(tokenCheckSchema, 'The token works'), ...commonErrors, ...checkErrors },
});
export const checkStoredToken = createRoute({
  ...base,
  method: 'post',
  path: '/provider-checks/{id}',
  summary: "Re-check a registered Git provider's token (organization admin)",
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(tokenCheckSchema, 'The token works'),
    ...commonErrors,
    ...checkErrors,
    409: jsonResponse(errorSchema, 'The connection has no token since its URL changed'),
  },
});
export const registerServiceWebhook = createRoute({
  tags: ['Webhooks'],
  security: bearerSecurity,
  method: 'post',
  path: '/services/{id}/webhook/register',
  summary:
    'One-click: create the Kiln webhook in the GitLab project / GitHub repository (idempotent; organization admin)',
  request: { params: uuidParam, ...jsonBody(registrationInput) },
  responses: {
    200: jsonResponse(registrationSchema, 'Registered (or already there)'),
    ...commonErrors,
    ...checkErrors,
    409: jsonResponse(errorSchema, 'No token is registered for the repository host, or it is a plain git server'),
  },
});

/** Token checks and one-click webhook registration; mount with `.route('/', providerChecksRouter(deps))`. */
export function providerChecksRouter({ db, cipher, config }: AppDeps) {
  const checkNew: RouteHandler<typeof checkNewToken, AppEnv> = async (c) => {
    requireRole(c.get('user'), 'org_admin', 'check Git provider tokens');
    const { kind, baseUrl, token } = c.req.valid('json');
    return c.json(await verifyProviderToken({ kind, baseUrl: baseUrl ?? defaultBaseUrl[kind], token }), 200);
  };
  const checkStored: RouteHandler<typeof checkStoredToken, AppEnv> = async (c) => {
    const user = c.get('user');
    const { id } = c.req.valid('param');
    const [row] = await db
      .select()
      .from(gitProviders)
      .where(visibleTo(user, gitProviders.organizationId, eq(gitProviders.id, id)));
    const provider = withinReach(user, row, `Git provider ${id}`);
    requireRole(user, 'org_admin', 'check Git provider tokens');
    if (provider.tokenEnc === '') {
      throw apiError(
        409,
        `This Git connection has no token since its URL changed to ${provider.baseUrl}; enter it again.`,
      );
    }
    if (!provider.providerApi) {
      throw apiError(
        409,
        `${provider.baseUrl} is a plain git server (no GitLab/GitHub API): its token is tested with a clone (POST /git-checks with this connectionId and a repository URL; "Test clone" in organization settings).`,
      );
    }
    const token = cipher.decrypt(provider.tokenEnc);
    return c.json(await verifyProviderToken({ kind: provider.kind, baseUrl: provider.baseUrl, token }), 200);
  };
  const checkGit: RouteHandler<typeof checkGitServer, AppEnv> = async (c) => {
    const user = c.get('user');
    requireRole(user, 'org_admin', 'test Git connections');
    const { repositoryUrl, token, connectionId, baseUrl } = c.req.valid('json');
    const origin = baseUrl ? originOf(baseUrl) : null;
    let stored: { token: string | null; origin: string | null } = { token: token ?? null, origin };
    if (connectionId) {
      const [row] = await db
        .select()
        .from(gitProviders)
        .where(visibleTo(user, gitProviders.organizationId, eq(gitProviders.id, connectionId)));
      const provider = withinReach(user, row, `Git provider ${connectionId}`);
      const kept = provider.tokenEnc === '' ? null : cipher.decrypt(provider.tokenEnc);
      stored = { token: token ?? kept, origin: connectionOrigin(provider) };
    }
    return c.json(await checkGitRepository({ repositoryUrl, ...stored }), 200);
  };
  const register: RouteHandler<typeof registerServiceWebhook, AppEnv> = async (c) => {
    const user = c.get('user');
    const service = await loadVisibleService(db, user, c.req.valid('param').id);
    requireRole(user, 'org_admin', 'register webhooks in Git projects');
    const result = await loadProviderConnection(db, cipher, service);
    if (!result.ok) throw apiError(409, result.message);
    if (!result.connection.providerApi) throw apiError(409, plainGitMessage(result.connection.baseUrl, 'webhook'));
    const registration = await viaProvider(() =>
      registerWebhook({
        connection: result.connection,
        url: webhookUrl(config.publicUrl, service.gitProvider),
        secret: cipher.decrypt(service.webhookSecretEnc),
        force: c.req.valid('json').force,
      }),
    );
    return c.json(registration, 200);
  };
  return createRouter()
    .openapi(checkNewToken, checkNew)
    .openapi(checkStoredToken, checkStored)
    .openapi(registerServiceWebhook, register)
    .openapi(checkGitServer, checkGit);
}
