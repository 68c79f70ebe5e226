import { WorkflowNotFoundError } from '@temporalio/client';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../../db/schema';
import { rollbackWorkflowId } from '../../workflows/names';
import { createOrgWithMember, createTestApi, createUserIn, expectStatus, type TestApi } from '../support/api-client';
import { startKilnWorker, type TestKilnWorker } from '../support/kiln-worker';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

// Two organizations, each with an organization admin and a member. Organization B's people attack everything
// organization A owns; nothing of A may be read, changed, minted or deleted, and the database must not change.

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

type Org = Awaited<ReturnType<typeof createOrgWithMember>>;
let temporal: TestTemporal;
let worker: TestKilnWorker;
let api: TestApi;
let a: Org;
let b: Org;
const ids = {} as Record<'gitProvider' | 'registry' | 'cluster' | 'service' | 'build' | 'delivery' | 'token', string>;

beforeAll(async () => {
  // Routes that start workflows (rollback) run them on Kiln's worker, so a hole would really act on A's cluster.
  temporal = await startTestTemporal();
  api = await createTestApi({ temporal: temporal.client });
  worker = await startKilnWorker(temporal, api);
  a = await createOrgWithMember(api, 'alpha');
  b = await createOrgWithMember(api, 'beta');
  const admin = api.client(a.adminToken);
  const connection = { kind: 'gitlab' as const, token: 'glpat-alpha-secret', verify: false };
  ids.gitProvider = (await expectStatus(admin['git-providers'].$post({ json: connection }), 201)).id;
  const registry = {
    name: 'harbor',
    kind: 'harbor' as const,
    url: 'harbor.alpha.example.com',
    project: 'alpha',
    username: 'robot$alpha',
    password: 'alpha-registry-password',
  };
  ids.registry = (await expectStatus(admin.registries.$post({ json: registry }), 201)).id;
  const cluster = { name: 'prod', mode: 'kubeconfig' as const, kubeconfig };
  ids.cluster = (await expectStatus(admin.clusters.$post({ json: cluster }), 201)).id;
  const service = {
    name: 'api',
    gitProvider: 'gitlab' as const,
    repoUrl: 'https://gitlab.com/alpha/api.git',
    registryId: ids.registry,
    clusterId: ids.cluster,
  };
  ids.service = (await expectStatus(admin.services.$post({ json: service }), 201)).id;
  const tokens = admin.users[':id'].tokens;
  ids.token = (await expectStatus(tokens.$post({ param: { id: a.adminId }, json: { name: 'ci' } }), 201)).id;
  const [build] = await api.db
    .insert(schema.builds)
    .values({
      serviceId: ids.service,
      organizationId: a.organizationId,
      trigger: 'api',
      event: 'manual',
      ref: 'refs/heads/main',
      branch: 'main',
      status: 'Failed',
      workflowId: 'build-alpha-1',
    })
    .returning();
  ids.build = build!.id;
  await api.db
    .insert(schema.buildLogLines)
    .values({ buildId: ids.build, seq: 0, stream: 'stdout', text: 'alpha build output', at: new Date() });
  const [delivery] = await api.db
    .insert(schema.webhookDeliveries)
    .values({
      provider: 'gitlab',
      event: 'Push Hook',
      serviceId: ids.service,
      statusCode: 202,
      response: { status: 'started' },
      payload: '{"object_kind":"push"}',
      payloadBytes: 22,
    })
    .returning();
  ids.delivery = delivery!.id;
});
afterAll(async () => {
  await worker?.stop();
  await api?.close();
  await temporal?.stop();
});

/** Every row of every table an attacker could try to change (token use times aside: they change on each call). */
async function snapshot() {
  const { db } = api;
  const all = async <T extends { id: string }>(rows: Promise<T[]>) =>
    (await rows).sort((x, y) => x.id.localeCompare(y.id));
  return {
    organizations: await all(db.select().from(schema.organizations)),
    users: await all(db.select().from(schema.users)),
    tokens: await all(
      db
        .select({ id: schema.apiTokens.id, userId: schema.apiTokens.userId, hash: schema.apiTokens.tokenHash })
        .from(schema.apiTokens),
    ),
    gitProviders: await all(db.select().from(schema.gitProviders)),
    registries: await all(db.select().from(schema.registries)),
    clusters: await all(db.select().from(schema.clusters)),
    services: await all(db.select().from(schema.services)),
    autoCi: await db.select().from(schema.autoCiSettings).orderBy(asc(schema.autoCiSettings.serviceId)),
    builds: await all(db.select().from(schema.builds)),
    logLines: await db.select().from(schema.buildLogLines).orderBy(asc(schema.buildLogLines.seq)),
    deliveries: await all(db.select().from(schema.webhookDeliveries)),
    auditEvents: await all(db.select().from(schema.auditEvents)),
  };
}

interface Attack {
  method: string;
  path: () => string;
  body?: () => unknown;
  /** Status for organization B's admin and member; 404 (looks absent) unless the role is refused first. */
  admin?: number;
  member?: number;
}

const svc = () => `/services/${ids.service}`;
const attacks: Attack[] = [
  { method: 'GET', path: () => `/organizations/${a.organizationId}` },
  { method: 'PATCH', path: () => `/organizations/${a.organizationId}`, body: () => ({ name: 'pwned' }) },
  { method: 'DELETE', path: () => `/organizations/${a.organizationId}`, admin: 404, member: 404 },
  { method: 'POST', path: () => '/organizations', body: () => ({ name: 'mine' }), admin: 403, member: 403 },
  { method: 'GET', path: () => `/users?organizationId=${a.organizationId}`, member: 403 },
  {
    method: 'POST',
    path: () => '/users',
    body: () => ({ organizationId: a.organizationId, name: 'mole', role: 'org_admin' }),
    member: 403,
  },
  { method: 'GET', path: () => `/users/${a.adminId}` },
  { method: 'PATCH', path: () => `/users/${a.adminId}`, body: () => ({ role: 'member' }) },
  { method: 'PATCH', path: () => `/users/${a.userId}`, body: () => ({ role: 'org_admin' }) },
  { method: 'DELETE', path: () => `/users/${a.userId}` },
  { method: 'GET', path: () => `/users/${a.adminId}/tokens` },
  { method: 'POST', path: () => `/users/${a.adminId}/tokens`, body: () => ({ name: 'stolen' }) },
  { method: 'DELETE', path: () => `/users/${a.adminId}/tokens/${ids.token}` },
  { method: 'GET', path: () => `/git-providers?organizationId=${a.organizationId}` },
  {
    method: 'POST',
    path: () => '/git-providers',
    body: () => ({ organizationId: a.organizationId, kind: 'github', token: 'ghp_x', verify: false }),
    member: 403,
  },
  { method: 'GET', path: () => `/git-providers/${ids.gitProvider}` },
  {
    method: 'PATCH',
    path: () => `/git-providers/${ids.gitProvider}`,
    body: () => ({ token: 'glpat-mine', verify: false }),
  },
  { method: 'DELETE', path: () => `/git-providers/${ids.gitProvider}` },
  { method: 'POST', path: () => `/provider-checks/${ids.gitProvider}` },
  { method: 'GET', path: () => `/registries?organizationId=${a.organizationId}` },
  {
    method: 'POST',
    path: () => '/registries',
    body: () => ({
      organizationId: a.organizationId,
      name: 'evil',
      kind: 'oci',
      url: 'evil.example.com',
      project: 'p',
      username: 'u',
      password: 'p',
    }),
    member: 403,
  },
  { method: 'GET', path: () => `/registries/${ids.registry}` },
  { method: 'PATCH', path: () => `/registries/${ids.registry}`, body: () => ({ url: 'evil.example.com' }) },
  { method: 'DELETE', path: () => `/registries/${ids.registry}` },
  { method: 'GET', path: () => `/clusters?organizationId=${a.organizationId}` },
  {
    method: 'POST',
    path: () => '/clusters',
    body: () => ({ organizationId: a.organizationId, name: 'evil', mode: 'kubeconfig', kubeconfig }),
    member: 403,
  },
  { method: 'GET', path: () => `/clusters/${ids.cluster}` },
  { method: 'PATCH', path: () => `/clusters/${ids.cluster}`, body: () => ({ name: 'renamed' }) },
  { method: 'DELETE', path: () => `/clusters/${ids.cluster}` },
  { method: 'POST', path: () => `/clusters/${ids.cluster}/check` },
  { method: 'GET', path: () => `/services?organizationId=${a.organizationId}` },
  {
    method: 'POST',
    path: () => '/services',
    body: () => ({ organizationId: a.organizationId, name: 'evil', gitProvider: 'gitlab', repoUrl: 'https://x.y/a/b' }),
  },
  { method: 'GET', path: svc },
  { method: 'PATCH', path: svc, body: () => ({ repoUrl: 'https://evil.example.com/a/api.git' }) },
  { method: 'DELETE', path: svc },
  { method: 'GET', path: () => `${svc()}/auto-ci` },
  { method: 'PUT', path: () => `${svc()}/auto-ci`, body: () => ({ buildArgs: { EVIL: '1' } }) },
  { method: 'GET', path: () => `${svc()}/webhook` },
  { method: 'POST', path: () => `${svc()}/webhook/rotate` },
  { method: 'POST', path: () => `${svc()}/webhook/register`, body: () => ({ force: true }) },
  { method: 'POST', path: () => `${svc()}/detect` },
  { method: 'GET', path: () => `${svc()}/deployment` },
  { method: 'POST', path: () => `${svc()}/rollback` },
  { method: 'GET', path: () => `${svc()}/webhook/deliveries` },
  { method: 'GET', path: () => `${svc()}/webhook/deliveries/${ids.delivery}` },
  { method: 'POST', path: () => `${svc()}/webhook/deliveries/${ids.delivery}/redeliver` },
  { method: 'GET', path: () => `${svc()}/builds` },
  { method: 'POST', path: () => `${svc()}/builds`, body: () => ({ branch: 'main' }) },
  { method: 'GET', path: () => `/builds/${ids.build}` },
  { method: 'POST', path: () => `/builds/${ids.build}/cancel` },
  { method: 'POST', path: () => `/builds/${ids.build}/retry` },
  { method: 'GET', path: () => `/builds/${ids.build}/logs` },
  { method: 'GET', path: () => `/builds/${ids.build}/logs/stream` },
  { method: 'GET', path: () => `${svc()}/pipelines` },
  { method: 'POST', path: () => `${svc()}/pipelines`, body: () => ({ ref: 'main' }) },
  { method: 'GET', path: () => `${svc()}/pipelines/1` },
  { method: 'POST', path: () => `${svc()}/pipelines/1/cancel` },
  { method: 'POST', path: () => `${svc()}/pipelines/1/retry` },
  { method: 'GET', path: () => `${svc()}/jobs/1/log` },
  { method: 'GET', path: () => `/audit-events?organizationId=${a.organizationId}`, member: 403 },
];

describe("another organization's admin and member", () => {
  for (const who of ['admin', 'member'] as const) {
    it(`cannot read, act on, mint or delete anything of organization A (as B's ${who})`, async () => {
      const token = who === 'admin' ? b.adminToken : b.token;
      const before = await snapshot();
      const outcomes: Array<{ route: string; status: number; body: unknown }> = [];
      for (const attack of attacks) {
        const res = await api.request(attack.method, attack.path(), { token, body: attack.body?.() });
        outcomes.push({ route: `${attack.method} ${attack.path()}`, status: res.status, body: res.body });
      }
      const expected = attacks.map((attack, i) => ({
        route: outcomes[i]!.route,
        status: attack[who] ?? 404,
      }));
      expect(outcomes.map(({ route, status }) => ({ route, status }))).toEqual(expected);
      // Nothing of A leaks through an error message either.
      const leaked = JSON.stringify(outcomes);
      for (const secret of ['glpat-alpha-secret', 'alpha-registry-password', 'kube-secret-token', 'alpha build output'])
        expect(leaked).not.toContain(secret);
      expect(await snapshot()).toEqual(before);
      // No rollback of A's service was started on A's cluster.
      await expect(
        temporal.client.workflow.getHandle(rollbackWorkflowId(ids.service)).describe(),
      ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });
  }

  it("leaves A's own member able to roll back (a workflow runs and finds nothing earlier to deploy)", async () => {
    const own = api.client(a.token).services[':id'].rollback.$post({ param: { id: ids.service } });
    expect((await expectStatus(own, 409)).message).toBe(
      'No earlier successful build with a different image exists to roll back to.',
    );
    const run = await temporal.client.workflow.getHandle(rollbackWorkflowId(ids.service)).describe();
    expect(run.status.name).toBe('FAILED');
  });

  it('sees none of organization A in its lists', async () => {
    for (const token of [b.adminToken, b.token]) {
      const client = api.client(token);
      const lists: Array<[string, Promise<Response>]> = [
        ['/organizations', client.organizations.$get()],
        ['/git-providers', client['git-providers'].$get({ query: {} })],
        ['/registries', client.registries.$get({ query: {} })],
        ['/clusters', client.clusters.$get({ query: {} })],
        ['/services', client.services.$get({ query: {} })],
        ['/builds', client.builds.$get({ query: {} })],
      ];
      for (const [path, response] of lists) {
        const res = await response;
        expect(res.status, path).toBe(200);
        expect(await res.text(), path).not.toContain(a.organizationId);
      }
    }
    const users = await expectStatus(api.client(b.adminToken).users.$get({ query: {} }), 200);
    expect(users.items.map((u) => u.name).sort()).toEqual(['beta-admin', 'beta-dev']);
  });
});

describe('roles inside one organization', () => {
  it('lets a member work on services and builds but not on connections, registries, clusters or secrets', async () => {
    const member = api.client(a.token);
    const param = { id: ids.service };
    const reads: Array<[string, Promise<Response>]> = [
      ['/git-providers', member['git-providers'].$get({ query: {} })],
      ['/registries', member.registries.$get({ query: {} })],
      ['/clusters', member.clusters.$get({ query: {} })],
      [`${svc()}/auto-ci`, member.services[':id']['auto-ci'].$get({ param })],
      [`${svc()}/builds`, member.services[':id'].builds.$get({ param, query: {} })],
    ];
    for (const [path, response] of reads) expect((await response).status, path).toBe(200);
    const delivery = { param: { ...param, deliveryId: ids.delivery } };
    await expectStatus(member.services[':id'].webhook.deliveries[':deliveryId'].$get(delivery), 200);
    const logs = await expectStatus(member.builds[':id'].logs.$get({ param: { id: ids.build }, query: {} }), 200);
    expect(logs.lines[0]!.text).toBe('alpha build output');
    // The refusals are a route table, sent raw so each failure names its route.
    const before = await snapshot();
    const refused: [string, string, unknown?][] = [
      ['POST', '/git-providers', { kind: 'github', token: 'ghp_x', verify: false }],
      ['PATCH', `/git-providers/${ids.gitProvider}`, { baseUrl: 'https://evil.example.com', verify: false }],
      ['DELETE', `/git-providers/${ids.gitProvider}`],
      ['POST', '/provider-checks', { kind: 'gitlab', token: 'glpat-x' }],
      ['POST', `/provider-checks/${ids.gitProvider}`],
      [
        'POST',
        '/registries',
        { name: 'r2', kind: 'oci', url: 'e.example.com', project: 'p', username: 'u', password: 'p' },
      ],
      ['PATCH', `/registries/${ids.registry}`, { url: 'evil.example.com' }],
      ['DELETE', `/registries/${ids.registry}`],
      ['POST', '/clusters', { name: 'c2', mode: 'kubeconfig', kubeconfig }],
      ['POST', '/clusters', { name: 'c3', mode: 'in-cluster', namespaces: ['c3'] }],
      ['PATCH', `/clusters/${ids.cluster}`, { kubeconfig }],
      ['DELETE', `/clusters/${ids.cluster}`],
      ['POST', `/clusters/${ids.cluster}/check`],
      ['GET', `${svc()}/webhook`],
      ['POST', `${svc()}/webhook/rotate`],
      ['POST', `${svc()}/webhook/register`, { force: true }],
      ['POST', `${svc()}/webhook/deliveries/${ids.delivery}/redeliver`],
      ['GET', '/users'],
      ['GET', `/users/${a.adminId}`],
      ['GET', `/users/${a.adminId}/tokens`],
      ['POST', `/users/${a.adminId}/tokens`, { name: 'mine-now' }],
      ['DELETE', `/users/${a.adminId}/tokens/${ids.token}`],
      ['POST', '/users', { name: 'friend', role: 'member' }],
      ['PATCH', `/users/${a.adminId}`, { role: 'member' }],
      ['DELETE', `/users/${a.adminId}`],
      ['PATCH', `/organizations/${a.organizationId}`, { name: 'renamed' }],
      ['GET', '/audit-events'],
    ];
    for (const [method, path, body] of refused) {
      const res = await api.request(method, path, { token: a.token, body });
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({ route: `${method} ${path}`, status: 403 });
      expect(res.body.message).toMatch(/Only (organization|instance) admins can/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets an organization admin manage their organization, but not register an in-cluster environment', async () => {
    const admin = api.client(a.adminToken);
    const webhook = await expectStatus(admin.services[':id'].webhook.$get({ param: { id: ids.service } }), 200);
    expect(webhook.secretToken).toMatch(/^[0-9a-f]{48}$/);
    const tokens = admin.users[':id'].tokens;
    const minted = await expectStatus(tokens.$post({ param: { id: a.userId }, json: { name: 'for-dev' } }), 201);
    expect((await expectStatus(api.client(minted.token).me.$get(), 200)).id).toBe(a.userId);
    const inCluster = await expectStatus(
      admin.clusters.$post({ json: { name: 'here', mode: 'in-cluster', namespaces: ['here'] } }),
      403,
    );
    expect(inCluster.message).toMatch(/instance admins.*service account/);
  });
});

describe('privilege escalation', () => {
  it('refuses roles and tokens above the caller, and keeps the last instance admin', async () => {
    const instance = api.client();
    const roleOf = async (id: string) => (await expectStatus(instance.users[':id'].$get({ param: { id } }), 200)).role;
    const users = (token: string) => api.client(token).users;
    // A member cannot create users, promote themself, or mint tokens for anyone but themself.
    const member = users(a.token);
    await expectStatus(member.$post({ json: { name: 'x', role: 'org_admin' } }), 403);
    await expectStatus(member[':id'].$patch({ param: { id: a.userId }, json: { role: 'org_admin' } }), 403);
    expect(await roleOf(a.userId)).toBe('member');
    await expectStatus(member[':id'].tokens.$post({ param: { id: a.userId }, json: { name: 'own' } }), 201);

    // An organization admin cannot hand out or take instance admin.
    const asAdmin = users(a.adminToken);
    const create = await expectStatus(asAdmin.$post({ json: { name: 'boss', role: 'instance_admin' } }), 403);
    expect(create.message).toMatch(/above your own/);
    for (const id of [a.userId, a.adminId]) {
      await expectStatus(asAdmin[':id'].$patch({ param: { id }, json: { role: 'instance_admin' } }), 403);
    }
    expect(await roleOf(a.adminId)).toBe('org_admin');
    expect(await roleOf(a.userId)).toBe('member');
    const peer = await expectStatus(asAdmin.$post({ json: { name: 'alpha-ops', role: 'org_admin' } }), 201);
    expect(peer.organizationId).toBe(a.organizationId);

    // An instance admin living in organization A is out of reach of A's organization admin.
    const chief = await createUserIn(api, a.organizationId, 'alpha-chief', 'instance_admin');
    const before = await snapshot();
    const param = { id: chief.id };
    await expectStatus(asAdmin[':id'].$patch({ param, json: { role: 'member' } }), 403);
    await expectStatus(asAdmin[':id'].$delete({ param }), 403);
    await expectStatus(asAdmin[':id'].tokens.$get({ param }), 403);
    const stolen = await expectStatus(asAdmin[':id'].tokens.$post({ param, json: { name: 'stolen' } }), 403);
    expect(stolen).not.toHaveProperty('token');
    expect(await snapshot()).toEqual(before);

    // The bootstrap instance admin may remove the other one, but not demote the last instance admin (themself).
    await expectStatus(instance.users[':id'].$delete({ param }), 204);
    const me = await expectStatus(instance.me.$get(), 200);
    const demote = await expectStatus(
      instance.users[':id'].$patch({ param: { id: me.id }, json: { role: 'org_admin' } }),
      409,
    );
    expect(demote.message).toMatch(/last instance admin/);
    expect(await roleOf(me.id)).toBe('instance_admin');
  });
});

describe('audit log', () => {
  it("records an instance admin's actions in another organization, visible to that organization's admin", async () => {
    const instance = api.client();
    await expectStatus(instance.services.$get({ query: {} }), 200);
    await expectStatus(instance.services[':id'].webhook.$get({ param: { id: ids.service } }), 200);
    await expectStatus(instance.registries[':id'].$delete({ param: { id: ids.registry } }), 409);
    await expectStatus(instance.users[':id'].tokens.$post({ param: { id: b.userId }, json: { name: 'support' } }), 201);

    const auditOf = (token?: string, query: { organizationId?: string } = {}) =>
      expectStatus(api.client(token)['audit-events'].$get({ query }), 200);
    const alpha = await auditOf(a.adminToken);
    const view = (items: { method: string; path: string; statusCode: number; actorName: string }[]) =>
      items.map(({ method, path, statusCode, actorName }) => ({ method, path, statusCode, actorName }));
    expect(view(alpha.items)).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: `/api/v1${svc()}/webhook`, statusCode: 200, actorName: 'admin' },
        { method: 'DELETE', path: `/api/v1/registries/${ids.registry}`, statusCode: 409, actorName: 'admin' },
      ]),
    );
    expect(alpha.items.every((e) => e.organizationId === a.organizationId)).toBe(true);
    const beta = await auditOf(b.adminToken);
    expect(view(beta.items)).toContainEqual({
      method: 'POST',
      path: `/api/v1/users/${b.userId}/tokens`,
      statusCode: 201,
      actorName: 'admin',
    });
    expect(beta.items.every((e) => e.organizationId === b.organizationId)).toBe(true);
    expect(JSON.stringify(beta)).not.toContain(ids.service);
    const filtered = await auditOf(undefined, { organizationId: b.organizationId });
    expect(filtered.items.map((e) => e.id)).toEqual(beta.items.map((e) => e.id));
    // Actions in the instance admin's own organization are not cross-organization and are not recorded.
    const all = await auditOf();
    const home = (await expectStatus(instance.me.$get(), 200)).organizationId;
    expect(all.items.some((e) => e.organizationId === home)).toBe(false);
  });
});

describe('API documentation', () => {
  it('names the role every authenticated route needs in its OpenAPI summary', async () => {
    const spec = await api.request('GET', '/openapi.json', { token: null });
    const undocumented: string[] = [];
    for (const [path, operations] of Object.entries(spec.body.paths as Record<string, Record<string, unknown>>)) {
      if (/^\/api\/v1\/(health|webhook\/)/.test(path)) continue;
      for (const [method, operation] of Object.entries(operations as Record<string, { summary?: string }>)) {
        if (!/\([^)]*\b(member|organization admin|instance admin|any role|yourself)/.test(operation.summary ?? ''))
          undocumented.push(`${method.toUpperCase()} ${path}: ${operation.summary ?? '(no summary)'}`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});
