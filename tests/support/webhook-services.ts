// The setup the webhook suites share: a service that takes webhooks (an OCI registry, Auto CI on), posting a
// delivery as GitLab or GitHub would, and a cluster a service deploys to.
import { eq } from 'drizzle-orm';
import type { InferRequestType } from 'hono/client';
import { clusters, services } from '../../db/schema';
import { expectStatus, type createOrgWithMember, type JsonBody, type KilnClient, type TestApi } from './api-client';

type Org = Awaited<ReturnType<typeof createOrgWithMember>>;
/** The body of `PUT /services/{id}/auto-ci`. */
export type AutoCiInput = InferRequestType<KilnClient['services'][':id']['auto-ci']['$put']>['json'];

/** What a webhook test needs of a service: its id, its webhook secret token and (GitLab) its Standard Webhooks key. */
export interface WebhookService {
  id: string;
  secret: string;
  signingToken: string | null;
}

/**
 * Registers a service of `org` on its own OCI registry (`127.0.0.1:5000/<registryProject>`; the admin adds it, the
 * member creates the service), turns Auto CI on with `autoCi` (branch filter `main` unless given) and reads its
 * webhook secrets.
 */
export async function createWebhookService(
  api: TestApi,
  org: Org,
  service: {
    name: string;
    gitProvider: 'gitlab' | 'github';
    repoUrl: string;
    projectId?: string;
    projectPath?: string;
  },
  autoCi: AutoCiInput = {},
  registryProject = 'team',
): Promise<WebhookService> {
  const admin = api.client(org.adminToken);
  const registryJson = { name: `${service.name}-reg`, kind: 'oci' as const, url: '127.0.0.1:5000', username: 'u' };
  const registry = await expectStatus(
    admin.registries.$post({ json: { ...registryJson, project: registryProject, password: 'p' } }),
    201,
  );
  const { id } = await expectStatus(
    api.client(org.token).services.$post({ json: { ...service, registryId: registry.id } }),
    201,
  );
  const json = { enabled: true, branchFilter: ['main'], ...autoCi };
  await expectStatus(api.client(org.token).services[':id']['auto-ci'].$put({ param: { id }, json }), 200);
  const info = await expectStatus(admin.services[':id'].webhook.$get({ param: { id } }), 200);
  return { id, secret: info.secretToken, signingToken: info.signingToken };
}

/** POSTs a delivery to Kiln's webhook endpoint for `provider`; answers the status and the JSON body. */
export async function postWebhook(
  api: TestApi,
  provider: 'gitlab' | 'github',
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: JsonBody }> {
  const res = await api.app.request(`/api/v1/webhook/${provider}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as JsonBody };
}

/** Registers a cluster `prod` whose kubeconfig (token `t0ken-value`) points at `server`, and deploys the service there. */
export async function attachCluster(api: TestApi, org: Org, serviceId: string, server: string): Promise<void> {
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: c, cluster: {server: "${server}"}}]`,
    'users: [{name: u, user: {token: t0ken-value}}]',
    'contexts: [{name: x, context: {cluster: c, user: u}}]',
    'current-context: x',
  ].join('\n');
  const [cluster] = await api.db
    .insert(clusters)
    .values({
      organizationId: org.organizationId,
      name: 'prod',
      mode: 'kubeconfig',
      kubeconfigEnc: api.cipher.encrypt(kubeconfig),
    })
    .returning();
  await api.db.update(services).set({ clusterId: cluster!.id }).where(eq(services.id, serviceId));
}
