import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { bearerSecurity, commonErrors, createRouter, errorSchema, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { createGitProviderHandlers } from './git-providers.handlers';
import { gitProviderKinds } from '../../domain/connections';

export const gitProviderSchema = z
  .object({
    id: z.string().uuid(),
    organizationId: z.string().uuid(),
    kind: z.enum(gitProviderKinds),
    baseUrl: z.string(),
    hasToken: z.boolean(),
    providerApi: z.boolean().openapi({
      description:
        'False for a plain git server: Kiln clones only, and posts no commit statuses, reads no pipelines and registers no webhooks there',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('GitProvider');

const tokenCheckSchema = z
  .object({
    identity: z.string(),
    scopes: z.array(z.string()).nullable(),
    expiresAt: z.string().nullable(),
    warnings: z.array(z.string()),
  })
  .nullable()
  .openapi('TokenCheck', { description: 'What the token check found; null when verify was false' });
const checkedProviderSchema = gitProviderSchema.extend({ check: tokenCheckSchema });
const tokenRejected = {
  422: jsonResponse(errorSchema, 'The provider is unreachable or rejected the token (the reason says which)'),
};
const baseUrl = z
  .string()
  .url()
  .transform((url) => url.replace(/\/+$/, ''));
const verifyFlag = z
  .boolean()
  .default(true)
  .openapi({
    description:
      "Check the token with the provider's API before storing it (reachable, accepted, scopes). Turn off only for a " +
      'Git server without the GitLab/GitHub API, such as a plain git mirror.',
  });
const providerApiFlag = z.boolean().openapi({
  description:
    'Whether the server has the GitLab/GitHub API. False for a plain git server (a bare git-http-backend, a mirror): ' +
    '`kind` then only says which webhook shape it sends, the token is stored unchecked (verify is ignored), and commit ' +
    'statuses, pipelines and webhook registration are skipped with a message saying so.',
});
export const gitProviderInput = z.object({
  organizationId: z.string().uuid().optional(),
  kind: z.enum(gitProviderKinds),
  baseUrl: baseUrl.optional().openapi({ description: 'Defaults to https://gitlab.com or https://github.com' }),
  token: z.string().trim().min(1).openapi({
    description:
      'GitLab: a personal/project access token with api. GitHub: repo (classic) or Contents read and Commit statuses write (fine-grained). Plain git: the password or token the server accepts over HTTPS',
  }),
  verify: verifyFlag,
  providerApi: providerApiFlag.default(true),
});
export const gitProviderPatch = z.object({
  baseUrl: baseUrl.optional(),
  token: z.string().trim().min(1).optional(),
  verify: verifyFlag,
  providerApi: providerApiFlag.optional(),
});

const base = { tags: ['Git providers'], security: bearerSecurity };
const listQuery = z.object({ organizationId: z.string().uuid().optional() });
export const listGitProviders = createRoute({
  ...base,
  method: 'get',
  path: '/',
  summary: 'Organization Git connections, never the tokens (member: read)',
  request: { query: listQuery },
  responses: { 200: jsonResponse(z.object({ items: z.array(gitProviderSchema) }), 'Connections'), ...commonErrors },
});
export const createGitProvider = createRoute({
  ...base,
  method: 'post',
  path: '/',
  summary: 'Connect GitLab or GitHub for an organization (organization admin); every service uses it',
  request: jsonBody(gitProviderInput),
  responses: {
    201: jsonResponse(checkedProviderSchema, 'Created'),
    ...commonErrors,
    ...tokenRejected,
    409: jsonResponse(errorSchema, 'The organization already has a connection of this kind for that origin'),
  },
});
export const getGitProvider = createRoute({
  ...base,
  method: 'get',
  path: '/{id}',
  summary: 'A Git connection, never the token (member: read)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(gitProviderSchema, 'Connection'), ...commonErrors },
});
export const updateGitProvider = createRoute({
  ...base,
  method: 'patch',
  path: '/{id}',
  summary:
    'Change the base URL (another origin clears the stored token unless this request gives one) or replace the token (organization admin)',
  request: { params: uuidParam, ...jsonBody(gitProviderPatch) },
  responses: {
    200: jsonResponse(checkedProviderSchema, 'Updated'),
    ...commonErrors,
    ...tokenRejected,
    409: jsonResponse(errorSchema, 'Another connection of this kind already has that origin'),
  },
});
export const deleteGitProvider = createRoute({
  ...base,
  method: 'delete',
  path: '/{id}',
  summary: 'Remove a Git connection (organization admin)',
  request: { params: uuidParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});

/** `/git-providers` router. */
export function gitProvidersRouter(deps: AppDeps) {
  const h = createGitProviderHandlers(deps);
  return createRouter()
    .openapi(listGitProviders, h.list)
    .openapi(createGitProvider, h.create)
    .openapi(getGitProvider, h.get)
    .openapi(updateGitProvider, h.update)
    .openapi(deleteGitProvider, h.remove);
}
