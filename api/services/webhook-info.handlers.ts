import { eq } from 'drizzle-orm';
import { services } from '../../db/schema';
import { plainGitMessage } from '../../clients/git-providers/connection';
import { loadGitCredential } from '../../db/git-credentials';
import { generateWebhookSecret } from '../../db/tokens';
import { requireRole } from '../auth';
import type { AppDeps } from '../deps';
import type { AppRouteHandler } from '../openapi';
import type * as routes from './webhook-info.routes';
import { loadVisibleService, type ServiceRow } from './load-service';

const events = {
  gitlab: ['Push events', 'Tag push events', 'Merge request events'],
  github: ['push', 'pull_request'],
};

/** Handlers of `/services/{id}/webhook`: the webhook settings, and rotating the secret. */
export function createWebhookInfoHandlers({ db, cipher, config }: AppDeps) {
  // Only organization admins reach this view (the secret is theirs), so the Local URL is always shown.
  const view = async (service: ServiceRow) => {
    const secret = cipher.decrypt(service.webhookSecretEnc);
    const path = `/api/v1/webhook/${service.gitProvider}`;
    const urls: { environment: 'production' | 'local'; url: string }[] = [
      { environment: 'production', url: `${config.publicUrl.replace(/\/+$/, '')}${path}` },
    ];
    if (config.localUrl) {
      urls.push({ environment: 'local', url: `${config.localUrl.replace(/\/+$/, '')}${path}` });
    }
    const credential = await loadGitCredential(db, cipher, service);
    const plain = credential.found && !credential.connection.providerApi;
    return {
      plainGitServer: plain
        ? `${plainGitMessage(credential.connection.baseUrl, 'webhook')} Kiln posts no commit statuses there either.`
        : null,
      provider: service.gitProvider,
      urls,
      secretToken: secret,
      signingToken: service.gitProvider === 'gitlab' ? `whsec_${Buffer.from(secret).toString('base64')}` : null,
      events: events[service.gitProvider],
      rotatedAt: service.webhookSecretRotatedAt.toISOString(),
    };
  };
  const getWebhookInfo: AppRouteHandler<typeof routes.getWebhookInfo> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    requireRole(c.get('user'), 'org_admin', 'see webhook secrets');
    return c.json(await view(service), 200);
  };
  const rotateWebhookSecret: AppRouteHandler<typeof routes.rotateWebhookSecret> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    requireRole(c.get('user'), 'org_admin', 'rotate webhook secrets');
    const [row] = await db
      .update(services)
      .set({ webhookSecretEnc: cipher.encrypt(generateWebhookSecret()), webhookSecretRotatedAt: new Date() })
      .where(eq(services.id, service.id))
      .returning();
    return c.json(await view(row!), 200);
  };
  return { getWebhookInfo, rotateWebhookSecret };
}
