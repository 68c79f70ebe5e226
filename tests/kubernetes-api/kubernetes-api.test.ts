import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';
import { type FakeKubernetes, startFakeKubernetes } from '../support/fake-kubernetes';

let api: TestApi;
let cluster: FakeKubernetes;
let org: Awaited<ReturnType<typeof createOrgWithMember>>;
let serviceId: string;
let registryId: string;
let clusterId: string;

const secretOf = (namespace: string) => {
  const secret = cluster.store.get('secrets', namespace, 'web-registry-cred');
  const data = secret?.data as Record<string, string> | undefined;
  return data && JSON.parse(Buffer.from(data['.dockerconfigjson']!, 'base64').toString('utf8'));
};
// The organization admin: registries, clusters and their checks are theirs to manage.
const as = (method: string, path: string, body?: unknown) => api.request(method, path, { token: org.adminToken, body });

beforeAll(async () => {
  [api, cluster] = await Promise.all([createTestApi(), startFakeKubernetes({ namespaces: [] })]);
  org = await createOrgWithMember(api, 'k8s');
  await api.request('POST', '/git-providers', {
    body: { organizationId: org.organizationId, kind: 'gitlab', token: 'glpat-x', verify: false },
  });
  registryId = (
    await as('POST', '/registries', {
      name: 'harbor',
      kind: 'harbor',
      url: 'harbor.example.com',
      project: 'shop',
      username: 'robot$ci',
      password: 'first-password',
    })
  ).body.id;
  clusterId = (await as('POST', '/clusters', { name: 'prod', mode: 'kubeconfig', kubeconfig: cluster.kubeconfig })).body
    .id;
  const service = await as('POST', '/services', {
    name: 'web',
    gitProvider: 'gitlab',
    repoUrl: 'https://gitlab.example.com/shop/web.git',
    registryId,
    clusterId,
  });
  serviceId = service.body.id;
});
afterAll(async () => Promise.all([api?.close(), cluster?.stop()]));

describe('Kubernetes from the API', () => {
  it('checks that the cluster answers and that Kiln may do its work there', async () => {
    const ok = await as('POST', `/clusters/${clusterId}/check`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, version: expect.stringMatching(/^v1\./) });
    cluster.rbac.deny({ verb: 'create', resource: 'pods', namespace: 'kiln-builds' });
    const denied = await as('POST', `/clusters/${clusterId}/check`);
    expect(denied.body.ok).toBe(false);
    expect(denied.body.message).toMatch(/Permission denied: Kiln needs create pods in kiln-builds/);
  });

  it('creates the image-pull Secret when Auto CI is saved, in a namespace it creates', async () => {
    const saved = await as('PUT', `/services/${serviceId}/auto-ci`, { enabled: true });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.pullSecret).toMatchObject({ state: 'created', name: 'web-registry-cred', namespace: 'web' });
    expect(cluster.store.get('secrets', 'web', 'web-registry-cred')?.type).toBe('kubernetes.io/dockerconfigjson');
    expect(secretOf('web').auths['harbor.example.com'].password).toBe('first-password');
    expect(JSON.stringify(saved.body)).not.toContain('first-password');
  });

  it('updates the Secret in place when the registry password changes', async () => {
    const before = cluster.store.get('secrets', 'web', 'web-registry-cred')!.metadata.uid;
    const changed = await as('PATCH', `/registries/${registryId}`, { password: 'second-password' });
    expect(changed.status).toBe(200);
    expect(changed.body.pullSecrets).toEqual([expect.objectContaining({ serviceId, state: 'updated' })]);
    const after = cluster.store.get('secrets', 'web', 'web-registry-cred')!;
    expect(after.metadata.uid).toBe(before);
    expect(secretOf('web').auths['harbor.example.com'].password).toBe('second-password');
  });

  it('reports "Permission denied" on save when Kiln may not create Secrets there', async () => {
    cluster.rbac.deny({ verb: 'update', resource: 'secrets', namespace: 'web' });
    await as('PATCH', `/registries/${registryId}`, { password: 'third-password' });
    const saved = await as('PUT', `/services/${serviceId}/auto-ci`, { enabled: true });
    expect(saved.status).toBe(200);
    expect(saved.body.pullSecret.state).toBe('failed');
    expect(saved.body.pullSecret.message).toMatch(/^Permission denied: .*secrets.*"?web"?/);
  });

  // Deployment status and rollback, through the rollback workflow on a worker: rollback.test.ts.
});
