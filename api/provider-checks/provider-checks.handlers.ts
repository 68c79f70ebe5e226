import { eq } from 'drizzle-orm';
import { loadProviderConnection, plainGitMessage } from '../../clients/git-providers/connection';
import { webhookUrl } from '../../clients/git-providers/links';
import { registerWebhook } from '../../clients/git-providers/webhook-registration';
import { gitProviders } from '../../db/schema';
import { requireRole } from '../auth';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import type { AppRouteHandler } from '../openapi';
import { visibleTo, withinReach } from '../scope';
import { loadVisibleService } from '../services/load-service';
import { viaProvider } from '../pipelines/provider-failure';
import { verifyProviderToken } from './verify-token';
import { checkGitRepository } from './git-check';
import type * as routes from './provider-checks.routes';
import { connectionOrigin, originOf } from '../../domain/credentials';

const defaultBaseUrl = { gitlab: 'https://gitlab.com', github: 'https://github.com' } as const;

/** Handlers of the token checks, the clone test and one-click webhook registration. */
export function createProviderCheckHandlers({ db, cipher, config }: AppDeps) {
  const checkNewToken: AppRouteHandler<typeof routes.checkNewToken> = async (c) => {
    requireRole(c.get('user'), 'org_admin', 'check Git provider tokens');
    const { kind, baseUrl, token } = c.req.valid('json');
    return c.json(await verifyProviderToken({ kind, baseUrl: baseUrl ?? defaultBaseUrl[kind], token }), 200);
  };
  const checkStoredToken: AppRouteHandler<typeof routes.checkStoredToken> = async (c) => {
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
  const checkGitServer: AppRouteHandler<typeof routes.checkGitServer> = async (c) => {
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
  const registerServiceWebhook: AppRouteHandler<typeof routes.registerServiceWebhook> = async (c) => {
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
  return { checkNewToken, checkStoredToken, checkGitServer, registerServiceWebhook };
}
