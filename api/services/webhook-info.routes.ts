import { createRoute, z } from '@hono/zod-openapi';
import type { RouteHandler } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { services } from '../../db/schema';
import { plainGitMessage } from '../../activities/providers/connection';
import { loadGitCredential } from '../../db/git-credentials';
import { generateWebhookSecret } from '../../db/tokens';
import { requireRole } from '../auth';
import type { AppDeps, AppEnv } from '../deps';
import { bearerSecurity, commonErrors, createRouter, jsonResponse, uuidParam } from '../openapi';
import { loadVisibleService, type ServiceRow } from './load-service';

const webhookInfoSchema = z
  .object({
    provider: z.enum(['gitlab', 'github']),
    urls: z.array(z.object({ environment: z.enum(['production', 'local']), url: z.string() })),
    secretToken: z.string().openapi({ description: 'Paste as the Secret token (GitLab) or Secret (GitHub)' }),
    signingToken: z
      .string()
      .nullable()
      .openapi({ description: "GitLab signing token (Standard Webhooks, whsec_…) for GitLab's signed deliveries" }),
    events: z.array(z.string()),
    rotatedAt: z.string(),
    plainGitServer: z.string().nullable().openapi({
      description:
        "Set when the repository's Git connection is a plain git server (providerApi false): says that Kiln cannot register the webhook nor post commit statuses there; null otherwise",
    }),
  })
  .openapi('WebhookInfo');

const base = { tags: ['Webhooks'], security: bearerSecurity };
const getWebhookInfo = createRoute({
  ...base,
  method: 'get',
  path: '/{id}/webhook',
  summary: 'Webhook URL(s) and secret to paste into GitLab/GitHub (organization admin)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(webhookInfoSchema, 'Webhook settings'), ...commonErrors },
});
const rotateWebhookSecret = createRoute({
  ...base,
  method: 'post',
  path: '/{id}/webhook/rotate',
  summary:
    'Replace the webhook secret; deliveries signed with the old one are rejected from now on (organization admin)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(webhookInfoSchema, 'New webhook settings'), ...commonErrors },
});

const events = {
  gitlab: ['Push events', 'Tag push events', 'Merge request events'],
  github: ['push', 'pull_request'],
};

/** `/services/{id}/webhook` router. */
export function webhookInfoRouter({ db, cipher, config }: AppDeps) {
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
  const get: RouteHandler<typeof getWebhookInfo, AppEnv> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    requireRole(c.get('user'), 'org_admin', 'see webhook secrets');
    return c.json(await view(service), 200);
  };
  const rotate: RouteHandler<typeof rotateWebhookSecret, AppEnv> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    requireRole(c.get('user'), 'org_admin', 'rotate webhook secrets');
    const [row] = await db
      .update(services)
      .set({ webhookSecretEnc: cipher.encrypt(generateWebhookSecret()), webhookSecretRotatedAt: new Date() })
      .where(eq(services.id, service.id))
      .returning();
    return c.json(await view(row!), 200);
  };
  return createRouter().openapi(getWebhookInfo, get).openapi(rotateWebhookSecret, rotate);
}
