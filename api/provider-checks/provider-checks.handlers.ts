import { loadProviderConnection, plainGitMessage } from '../../clients/git-providers/connection';
import { webhookUrl } from '../../clients/git-providers/links';
import { registerWebhook } from '../../clients/git-providers/webhook-registration';
import { requireRole } from '../auth';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import type { AppRouteHandler } from '../openapi';
import { loadVisibleConnection } from '../git-providers/load-connection';
import { loadVisibleService } from '../services/load-service';
import { viaProvider } from '../pipelines/provider-failure';
import { verifyProviderToken } from './verify-token';
import { checkGitRepository } from './git-check';
import type * as routes from './provider-checks.routes';
import { defaultProviderBaseUrl } from '../../domain/connections';
import { connectionOrigin, originOf } from '../../domain/credentials';

/** Handlers of the token checks, the clone test and one-click webhook registration. */
export function createProviderCheckHandlers(deps: AppDeps) {
  return { ...tokenCheckHandlers(deps), ...gitServerCheckHandlers(deps), ...webhookRegistrationHandlers(deps) };
}

/** Asking GitLab or GitHub about a token: one being entered, or the one a connection stores. */
function tokenCheckHandlers({ db, cipher }: AppDeps) {
  const checkNewToken: AppRouteHandler<typeof routes.checkNewToken> = async (c) => {
    requireRole(c.get('user'), 'org_admin', 'check Git provider tokens');
    const { kind, baseUrl, token } = c.req.valid('json');
    return c.json(await verifyProviderToken({ kind, baseUrl: baseUrl ?? defaultProviderBaseUrl[kind], token }), 200);
  };
  const checkStoredToken: AppRouteHandler<typeof routes.checkStoredToken> = async (c) => {
    const user = c.get('user');
    const provider = await loadVisibleConnection(db, user, c.req.valid('param').id);
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
  return { checkNewToken, checkStoredToken };
}

/** `git ls-remote` of one repository with a token being entered or a connection's stored one. */
function gitServerCheckHandlers({ db, cipher }: AppDeps) {
  const checkGitServer: AppRouteHandler<typeof routes.checkGitServer> = async (c) => {
    const user = c.get('user');
    requireRole(user, 'org_admin', 'test Git connections');
    const { repositoryUrl, token, connectionId, baseUrl } = c.req.valid('json');
    const origin = baseUrl ? originOf(baseUrl) : null;
    let stored: { token: string | null; origin: string | null } = { token: token ?? null, origin };
    if (connectionId) {
      const provider = await loadVisibleConnection(db, user, connectionId);
      const kept = provider.tokenEnc === '' ? null : cipher.decrypt(provider.tokenEnc);
      stored = { token: token ?? kept, origin: connectionOrigin(provider) };
    }
    return c.json(await checkGitRepository({ repositoryUrl, ...stored }), 200);
  };
  return { checkGitServer };
}

/** Registering (or repairing) the service's Kiln webhook in its Git project. */
function webhookRegistrationHandlers({ db, cipher, config }: AppDeps) {
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
  return { registerServiceWebhook };
}
