import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusters, gitProviders, registries, services } from '../../db/schema';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';

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
  const res = await api.request('POST', '/registries', {
    token,
    body: {
      name,
      kind: 'harbor',
      url: 'harbor.example.com',
      project: 'team',
      username: 'robot$ci',
      password: 'harbor-pw',
    },
  });
  expect(res.status).toBe(201);
  return res.body;
}

describe('organization resources', () => {
  it('keeps Git provider tokens admin-managed, encrypted and out of responses', async () => {
    const denied = await api.request('POST', '/git-providers', {
      token: a.token,
      body: { kind: 'gitlab', token: 'x' },
    });
    expect(denied.status).toBe(403);
    const created = await api.request('POST', '/git-providers', {
      body: { organizationId: a.organizationId, kind: 'gitlab', token: 'glpat-abc123', verify: false },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'gitlab', baseUrl: 'https://gitlab.com', hasToken: true });
    expect(JSON.stringify(created.body)).not.toContain('glpat');
    const [row] = await api.db.select().from(gitProviders).where(eq(gitProviders.id, created.body.id));
    expect(row!.tokenEnc).not.toContain('glpat');
    expect(api.cipher.decrypt(row!.tokenEnc)).toBe('glpat-abc123');
    expect((await api.request('GET', '/git-providers', { token: a.token })).body.items).toHaveLength(1);
    expect((await api.request('GET', '/git-providers', { token: b.token })).body.items).toHaveLength(0);
    expect((await api.request('GET', `/git-providers/${created.body.id}`, { token: b.token })).status).toBe(404);
  });

  it('stores registry passwords encrypted and hides them', async () => {
    const byMember = await api.request('POST', '/registries', {
      token: a.token,
      body: { name: 'm', kind: 'harbor', url: 'harbor.example.com', project: 'p', username: 'u', password: 'p' },
    });
    expect(byMember.status).toBe(403);
    const reg = await registryFor(a.adminToken);
    expect(reg).toMatchObject({ hasPassword: true, organizationId: a.organizationId, url: 'harbor.example.com' });
    expect(JSON.stringify(reg)).not.toContain('harbor-pw');
    const [row] = await api.db.select().from(registries).where(eq(registries.id, reg.id));
    expect(row!.passwordEnc).not.toContain('harbor-pw');
    expect((await api.request('DELETE', `/registries/${reg.id}`, { token: b.token })).status).toBe(404);
    const bad = await api.request('POST', '/registries', {
      token: a.adminToken,
      body: { name: 'x', kind: 'harbor', url: 'not a host!', project: 'p', username: 'u', password: 'p' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/url/);
  });

  it('validates kubeconfigs and never returns them', async () => {
    const bad = await api.request('POST', '/clusters', {
      token: a.adminToken,
      body: { name: 'bad', mode: 'kubeconfig', kubeconfig: 'just: text' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/no clusters/);
    const missing = await api.request('POST', '/clusters', {
      token: a.adminToken,
      body: { name: 'm', mode: 'kubeconfig' },
    });
    expect(missing.status).toBe(400);
    const ok = await api.request('POST', '/clusters', {
      token: a.adminToken,
      body: { name: 'dev', mode: 'kubeconfig', kubeconfig },
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ server: 'https://10.0.0.1:6443', hasKubeconfig: true });
    expect(JSON.stringify(ok.body)).not.toContain('kube-secret-token');
    const [row] = await api.db.select().from(clusters).where(eq(clusters.id, ok.body.id));
    expect(row!.kubeconfigEnc).not.toContain('kube-secret-token');
    // In-cluster mode acts with Kiln's own service account: only an instance admin may register it.
    const byOrgAdmin = await api.request('POST', '/clusters', {
      token: a.adminToken,
      body: { name: 'here', mode: 'in-cluster' },
    });
    expect(byOrgAdmin.status).toBe(403);
    expect(byOrgAdmin.body.message).toMatch(/instance admins/);
    const inCluster = await api.request('POST', '/clusters', {
      body: { organizationId: a.organizationId, name: 'here', mode: 'in-cluster' },
    });
    expect(inCluster.status).toBe(201);
    expect(inCluster.body).toMatchObject({ hasKubeconfig: false, server: null, organizationId: a.organizationId });
  });
});

describe('services', () => {
  it('creates a service with defaults and isolates it from other organizations', async () => {
    const reg = await registryFor(a.adminToken, 'svc-reg');
    const foreign = await registryFor(b.adminToken, 'beta-reg');
    const body = { name: 'api', gitProvider: 'gitlab', repoUrl: 'https://gitlab.example.com/Team/API.git' };
    const crossOrg = await api.request('POST', '/services', {
      token: a.token,
      body: { ...body, registryId: foreign.id },
    });
    expect(crossOrg.status).toBe(400);
    expect(
      (await api.request('POST', '/services', { token: a.token, body: { ...body, name: 'Bad_Name' } })).status,
    ).toBe(400);
    const res = await api.request('POST', '/services', { token: a.token, body: { ...body, registryId: reg.id } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ projectPath: 'team/api', deployNamespace: 'api', defaultBranch: 'main' });
    expect(res.body).not.toHaveProperty('webhookSecretEnc');
    const id = res.body.id;
    expect((await api.request('GET', `/services/${id}`, { token: b.token })).status).toBe(404);
    expect(
      (await api.request('PATCH', `/services/${id}`, { token: b.token, body: { defaultBranch: 'x' } })).status,
    ).toBe(404);
    expect((await api.request('GET', '/services', { token: b.token })).body.items).toHaveLength(0);
    const patched = await api.request('PATCH', `/services/${id}`, {
      token: a.token,
      body: { deployNamespace: 'prod-api' },
    });
    expect(patched.body.deployNamespace).toBe('prod-api');
    const [row] = await api.db.select().from(services).where(eq(services.id, id));
    expect(row!.webhookSecretEnc.startsWith('v1.')).toBe(true);
    expect((await api.request('DELETE', `/services/${id}`, { token: b.token })).status).toBe(404);
    expect((await api.request('DELETE', `/services/${id}`, { token: a.token })).status).toBe(204);
  });

  it('saves Auto CI settings only once prerequisites are met', async () => {
    const svc = await api.request('POST', '/services', {
      token: b.token,
      body: { name: 'web', gitProvider: 'github', repoUrl: 'https://github.com/octo/web' },
    });
    const url = `/services/${svc.body.id}/auto-ci`;
    const initial = await api.request('GET', url, { token: b.token });
    expect(initial.body).toMatchObject({
      enabled: false,
      branchFilter: ['main'],
      buildProfile: 'auto',
      dockerfilePath: 'Dockerfile',
      imageName: 'web',
      readiness: { ready: false },
    });
    const early = await api.request('PUT', url, { token: b.token, body: { enabled: true } });
    expect(early.status).toBe(400);
    expect(early.body.message).toMatch(/registry/);
    expect(early.body.message).toMatch(/github/);
    expect((await api.request('GET', url, { token: b.token })).body.enabled).toBe(false);

    const reg = await registryFor(b.adminToken, 'web-reg');
    await api.request('PATCH', `/services/${svc.body.id}`, { token: b.token, body: { registryId: reg.id } });
    await api.request('POST', '/git-providers', {
      body: { organizationId: b.organizationId, kind: 'github', token: 'ghp_x', verify: false },
    });
    const saved = await api.request('PUT', url, {
      token: b.token,
      body: {
        enabled: true,
        branchFilter: 'main, release/*',
        buildProfile: 'large',
        buildArgs: { NODE_ENV: 'production' },
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      enabled: true,
      branchFilter: ['main', 'release/*'],
      buildProfile: 'large',
      imageRepositories: ['harbor.example.com/team/web'],
      readiness: { ready: true, missing: [] },
    });
    expect((await api.request('PUT', url, { token: b.token, body: { buildProfile: 'huge' } })).status).toBe(400);
    expect((await api.request('PUT', url, { token: b.token, body: { autoDeploy: true } })).status).toBe(400);
    expect((await api.request('PUT', url, { token: b.token, body: { dockerfilePath: '../etc/passwd' } })).status).toBe(
      400,
    );
    const mono = await api.request('PUT', url, {
      token: b.token,
      body: {
        imagePrefix: 'kiwi-',
        subprojects: [{ name: 'backend', path: 'backend', dockerfilePath: 'backend/Dockerfile' }],
      },
    });
    expect(mono.body.imageRepositories).toEqual(['harbor.example.com/team/kiwi-backend']);
    expect((await api.request('GET', url, { token: a.token })).status).toBe(404);
    const inUse = await api.request('DELETE', `/registries/${reg.id}`, { token: b.adminToken });
    expect(inUse.status).toBe(409);
    expect(inUse.body.message).toMatch(/web/);
  });

  it('shows the webhook URL and secret to organization admins only; rotation replaces the secret', async () => {
    const svc = await api.request('POST', '/services', {
      token: a.token,
      body: { name: 'hooks', gitProvider: 'gitlab', repoUrl: 'https://gitlab.example.com/team/hooks.git' },
    });
    const url = `/services/${svc.body.id}/webhook`;
    const member = await api.request('GET', url, { token: a.token });
    expect(member.status).toBe(403);
    expect(JSON.stringify(member.body)).not.toMatch(/[0-9a-f]{48}/);
    const admin = await api.request('GET', url, { token: a.adminToken });
    expect(admin.body.urls).toEqual([
      { environment: 'production', url: 'https://kiln.example.com/api/v1/webhook/gitlab' },
      { environment: 'local', url: 'https://tunnel.example.dev/api/v1/webhook/gitlab' },
    ]);
    expect(admin.body.secretToken).toMatch(/^[0-9a-f]{48}$/);
    expect((await api.request('POST', `${url}/rotate`, { token: a.token })).status).toBe(403);
    expect((await api.request('GET', url, { token: a.adminToken })).body.secretToken).toBe(admin.body.secretToken);
    const rotated = await api.request('POST', `${url}/rotate`, { token: a.adminToken });
    expect(rotated.body.secretToken).not.toBe(admin.body.secretToken);
    expect((await api.request('GET', url, { token: b.token })).status).toBe(404);
  });
});
