import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusters, gitProviders, registries, services } from '../../db/schema';
import { createOrgWithMember, createTestApi, expectStatus, type TestApi } from '../support/api-client';

const kubeconfig = `apiVersion: v1
kind: Config
clusters:
  - name: dev
    cluster: { server: 'https://10.0.0.1:6443' }
contexts:
  - name: dev
    context: { cluster: dev, user: dev }
current-context: dev
users:
  - name: dev
    user: { token: kube-secret-token }
`;

let api: TestApi;
let a: Awaited<ReturnType<typeof createOrgWithMember>>;
let b: Awaited<ReturnType<typeof createOrgWithMember>>;
beforeAll(async () => {
  api = await createTestApi();
  a = await createOrgWithMember(api, 'alpha');
  b = await createOrgWithMember(api, 'beta');
});
afterAll(async () => api?.close());

async function registryFor(token: string, name = 'harbor') {
  const json = {
    name,
    kind: 'harbor' as const,
    url: 'harbor.example.com',
    project: 'team',
    username: 'robot$ci',
    password: 'harbor-pw',
  };
  return expectStatus(api.client(token).registries.$post({ json }), 201);
}

describe('organization resources', () => {
  it('keeps Git provider tokens admin-managed, encrypted and out of responses', async () => {
    const connections = (token: string) => api.client(token)['git-providers'];
    await expectStatus(connections(a.token).$post({ json: { kind: 'gitlab', token: 'x' } }), 403);
    const created = await expectStatus(
      api.client()['git-providers'].$post({
        json: { organizationId: a.organizationId, kind: 'gitlab', token: 'glpat-abc123', verify: false },
      }),
      201,
    );
    expect(created).toMatchObject({ kind: 'gitlab', baseUrl: 'https://gitlab.com', hasToken: true });
    expect(JSON.stringify(created)).not.toContain('glpat');
    const [row] = await api.db.select().from(gitProviders).where(eq(gitProviders.id, created.id));
    expect(row!.tokenEnc).not.toContain('glpat');
    expect(api.cipher.decrypt(row!.tokenEnc)).toBe('glpat-abc123');
    expect((await expectStatus(connections(a.token).$get({ query: {} }), 200)).items).toHaveLength(1);
    expect((await expectStatus(connections(b.token).$get({ query: {} }), 200)).items).toHaveLength(0);
    await expectStatus(connections(b.token)[':id'].$get({ param: { id: created.id } }), 404);
  });

  it('stores registry passwords encrypted and hides them', async () => {
    const json = {
      name: 'm',
      kind: 'harbor' as const,
      url: 'harbor.example.com',
      project: 'p',
      username: 'u',
      password: 'p',
    };
    await expectStatus(api.client(a.token).registries.$post({ json }), 403);
    const reg = await registryFor(a.adminToken);
    expect(reg).toMatchObject({ hasPassword: true, organizationId: a.organizationId, url: 'harbor.example.com' });
    expect(JSON.stringify(reg)).not.toContain('harbor-pw');
    const [row] = await api.db.select().from(registries).where(eq(registries.id, reg.id));
    expect(row!.passwordEnc).not.toContain('harbor-pw');
    await expectStatus(api.client(b.token).registries[':id'].$delete({ param: { id: reg.id } }), 404);
    const bad = await expectStatus(
      api.client(a.adminToken).registries.$post({ json: { ...json, name: 'x', url: 'not a host!' } }),
      400,
    );
    expect(bad.message).toMatch(/url/);
  });

  it('validates kubeconfigs and never returns them', async () => {
    const adminClusters = api.client(a.adminToken).clusters;
    const bad = await expectStatus(
      adminClusters.$post({ json: { name: 'bad', mode: 'kubeconfig', kubeconfig: 'just: text' } }),
      400,
    );
    expect(bad.message).toMatch(/no clusters/);
    await expectStatus(adminClusters.$post({ json: { name: 'm', mode: 'kubeconfig' } }), 400);
    const ok = await expectStatus(adminClusters.$post({ json: { name: 'dev', mode: 'kubeconfig', kubeconfig } }), 201);
    expect(ok).toMatchObject({ server: 'https://10.0.0.1:6443', hasKubeconfig: true });
    expect(JSON.stringify(ok)).not.toContain('kube-secret-token');
    const [row] = await api.db.select().from(clusters).where(eq(clusters.id, ok.id));
    expect(row!.kubeconfigEnc).not.toContain('kube-secret-token');
    // In-cluster mode acts with Kiln's own service account: only an instance admin may register it.
    const here = { name: 'here', mode: 'in-cluster' as const, namespaces: ['team-a', 'apps-*'] };
    const byOrgAdmin = await expectStatus(adminClusters.$post({ json: here }), 403);
    expect(byOrgAdmin.message).toMatch(/instance admins/);
    const inCluster = await expectStatus(
      api.client().clusters.$post({ json: { organizationId: a.organizationId, ...here } }),
      201,
    );
    expect(inCluster).toMatchObject({
      hasKubeconfig: false,
      server: null,
      organizationId: a.organizationId,
      namespaces: ['team-a', 'apps-*'],
    });
  });

  it('opens an in-cluster environment only to the namespaces an instance admin lists', async () => {
    const instance = api.client().clusters;
    const org = { organizationId: a.organizationId, mode: 'in-cluster' as const };
    // Kiln's own service account reaches every namespace: the list is required, and "every namespace" is no pattern.
    expect((await expectStatus(instance.$post({ json: { ...org, name: 'open' } }), 400)).message).toMatch(/namespaces/);
    for (const bad of [['*'], ['Kube-System'], ['a*b'], []]) {
      await expectStatus(instance.$post({ json: { ...org, name: 'open', namespaces: bad } }), 400);
    }
    const kubeconfigOne = { name: 'k', mode: 'kubeconfig' as const, kubeconfig, namespaces: ['x'] };
    await expectStatus(api.client(a.adminToken).clusters.$post({ json: kubeconfigOne }), 400);
    const shared = await expectStatus(
      instance.$post({ json: { ...org, name: 'shared', namespaces: ['shop', 'shop-*'] } }),
      201,
    );

    // A member's service may deploy there only inside the list, by its own name or its deployNamespace.
    const reg = await registryFor(a.adminToken, 'ns-reg');
    const mine = api.client(a.token).services;
    const service = {
      gitProvider: 'gitlab' as const,
      repoUrl: 'https://gitlab.example.com/t/x.git',
      registryId: reg.id,
    };
    const intoKiln = await expectStatus(
      mine.$post({ json: { ...service, name: 'web', clusterId: shared.id, deployNamespace: 'kiln' } }),
      400,
    );
    expect(intoKiln.message).toBe(
      "Runtime environment shared deploys with Kiln's own service account and may deploy only to shop, shop-*, " +
        'not to namespace kiln: choose another namespace, or ask an instance admin to allow it in Runtime Environments.',
    );
    await expectStatus(mine.$post({ json: { ...service, name: 'web', clusterId: shared.id } }), 400);
    const byName = await expectStatus(mine.$post({ json: { ...service, name: 'shop', clusterId: shared.id } }), 201);
    const param = { id: byName.id };
    await expectStatus(mine[':id'].$patch({ param, json: { deployNamespace: 'kube-system' } }), 400);
    await expectStatus(mine[':id'].$patch({ param, json: { deployNamespace: 'shop-staging' } }), 200);
    const other = await expectStatus(mine.$post({ json: { ...service, name: 'other' } }), 201);
    await expectStatus(mine[':id'].$patch({ param: { id: other.id }, json: { clusterId: shared.id } }), 400);

    // Only an instance admin changes the list; narrowing it stops deploys that were allowed (checked again then).
    const patch = { param: { id: shared.id }, json: { namespaces: ['shop'] } };
    await expectStatus(api.client(a.adminToken).clusters[':id'].$patch(patch), 403);
    expect((await expectStatus(instance[':id'].$patch(patch), 200)).namespaces).toEqual(['shop']);
  });
});

describe('services', () => {
  it('creates a service with defaults and isolates it from other organizations', async () => {
    const reg = await registryFor(a.adminToken, 'svc-reg');
    const foreign = await registryFor(b.adminToken, 'beta-reg');
    const json = { name: 'api', gitProvider: 'gitlab' as const, repoUrl: 'https://gitlab.example.com/Team/API.git' };
    const mine = api.client(a.token).services;
    const theirs = api.client(b.token).services;
    await expectStatus(mine.$post({ json: { ...json, registryId: foreign.id } }), 400);
    await expectStatus(mine.$post({ json: { ...json, name: 'Bad_Name' } }), 400);
    const created = await expectStatus(mine.$post({ json: { ...json, registryId: reg.id } }), 201);
    expect(created).toMatchObject({ projectPath: 'team/api', deployNamespace: 'api', defaultBranch: 'main' });
    expect(created).not.toHaveProperty('webhookSecretEnc');
    const param = { id: created.id };
    await expectStatus(theirs[':id'].$get({ param }), 404);
    await expectStatus(theirs[':id'].$patch({ param, json: { defaultBranch: 'x' } }), 404);
    expect((await expectStatus(theirs.$get({ query: {} }), 200)).items).toHaveLength(0);
    const patched = await expectStatus(mine[':id'].$patch({ param, json: { deployNamespace: 'prod-api' } }), 200);
    expect(patched.deployNamespace).toBe('prod-api');
    const [row] = await api.db.select().from(services).where(eq(services.id, created.id));
    expect(row!.webhookSecretEnc.startsWith('v1.')).toBe(true);
    await expectStatus(theirs[':id'].$delete({ param }), 404);
    await expectStatus(mine[':id'].$delete({ param }), 204);
  });

  it('saves Auto CI settings only once prerequisites are met', async () => {
    const member = api.client(b.token);
    const svc = await expectStatus(
      member.services.$post({ json: { name: 'web', gitProvider: 'github', repoUrl: 'https://github.com/octo/web' } }),
      201,
    );
    const url = `/services/${svc.id}/auto-ci`;
    const param = { id: svc.id };
    const autoCi = member.services[':id']['auto-ci'];
    const initial = await expectStatus(autoCi.$get({ param }), 200);
    expect(initial).toMatchObject({
      enabled: false,
      branchFilter: ['main'],
      buildProfile: 'auto',
      dockerfilePath: 'Dockerfile',
      imageName: 'web',
      readiness: { ready: false },
    });
    const early = await expectStatus(autoCi.$put({ param, json: { enabled: true } }), 400);
    expect(early.message).toMatch(/registry/);
    expect(early.message).toMatch(/github/);
    expect((await expectStatus(autoCi.$get({ param }), 200)).enabled).toBe(false);

    const reg = await registryFor(b.adminToken, 'web-reg');
    await expectStatus(member.services[':id'].$patch({ param, json: { registryId: reg.id } }), 200);
    await expectStatus(
      api.client()['git-providers'].$post({
        json: { organizationId: b.organizationId, kind: 'github', token: 'ghp_x', verify: false },
      }),
      201,
    );
    const saved = await expectStatus(
      autoCi.$put({
        param,
        json: {
          enabled: true,
          branchFilter: 'main, release/*',
          buildProfile: 'large',
          buildArgs: { NODE_ENV: 'production' },
        },
      }),
      200,
    );
    expect(saved).toMatchObject({
      enabled: true,
      branchFilter: ['main', 'release/*'],
      buildProfile: 'large',
      imageRepositories: ['harbor.example.com/team/web'],
      readiness: { ready: true, missing: [] },
    });
    // Raw: a profile the typed client would not let through.
    expect((await api.request('PUT', url, { token: b.token, body: { buildProfile: 'huge' } })).status).toBe(400);
    await expectStatus(autoCi.$put({ param, json: { autoDeploy: true } }), 400);
    await expectStatus(autoCi.$put({ param, json: { dockerfilePath: '../etc/passwd' } }), 400);
    const mono = await expectStatus(
      autoCi.$put({
        param,
        json: {
          imagePrefix: 'kiwi-',
          subprojects: [{ name: 'backend', path: 'backend', dockerfilePath: 'backend/Dockerfile' }],
        },
      }),
      200,
    );
    expect(mono.imageRepositories).toEqual(['harbor.example.com/team/kiwi-backend']);
    await expectStatus(api.client(a.token).services[':id']['auto-ci'].$get({ param }), 404);
    const inUse = await expectStatus(
      api.client(b.adminToken).registries[':id'].$delete({ param: { id: reg.id } }),
      409,
    );
    expect(inUse.message).toMatch(/web/);
  });

  it('shows the webhook URL and secret to organization admins only; rotation replaces the secret', async () => {
    const json = {
      name: 'hooks',
      gitProvider: 'gitlab' as const,
      repoUrl: 'https://gitlab.example.com/team/hooks.git',
    };
    const svc = await expectStatus(api.client(a.token).services.$post({ json }), 201);
    const param = { id: svc.id };
    const webhookOf = (token: string) => api.client(token).services[':id'].webhook;
    const member = await expectStatus(webhookOf(a.token).$get({ param }), 403);
    expect(JSON.stringify(member)).not.toMatch(/[0-9a-f]{48}/);
    const admin = await expectStatus(webhookOf(a.adminToken).$get({ param }), 200);
    expect(admin.urls).toEqual([
      { environment: 'production', url: 'https://kiln.example.com/api/v1/webhook/gitlab' },
      { environment: 'local', url: 'https://tunnel.example.dev/api/v1/webhook/gitlab' },
    ]);
    expect(admin.secretToken).toMatch(/^[0-9a-f]{48}$/);
    await expectStatus(webhookOf(a.token).rotate.$post({ param }), 403);
    expect((await expectStatus(webhookOf(a.adminToken).$get({ param }), 200)).secretToken).toBe(admin.secretToken);
    const rotated = await expectStatus(webhookOf(a.adminToken).rotate.$post({ param }), 200);
    expect(rotated.secretToken).not.toBe(admin.secretToken);
    await expectStatus(webhookOf(b.token).$get({ param }), 404);
  });
});
