// Strings PostgreSQL cannot store (NUL, lone surrogates) are refused with a 400 naming the field, and change nothing.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoCiSettings, builds, gitProviders, services, webhookDeliveries } from '../../db/schema';
import { createOrgWithMember, createTestApi, type JsonBody, type TestApi } from '../support/api-client';
import { githubHeaders, githubPush, gitlabHeaders, gitlabPush } from '../support/webhook-payloads';

const NUL = '\u0000';
const nulMessage = (place: string, name: string) =>
  `${place} "${name}" contains a NUL character (\\u0000), which Kiln cannot store. Remove it and send the request again.`;

let api: TestApi;
let org: Awaited<ReturnType<typeof createOrgWithMember>>;
let registryId: string;
const project = { id: 7001, path: 'team/guarded' };
let gitlabService: { id: string; secret: string };
let githubService: { id: string; secret: string };

async function createService(name: string, provider: 'gitlab' | 'github', repoUrl: string) {
  const created = await api.request('POST', '/services', {
    token: org.token,
    body: { name, gitProvider: provider, repoUrl, registryId, projectId: provider === 'gitlab' ? project.id : 4242 },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const saved = await api.request('PUT', `/services/${created.body.id}/auto-ci`, {
    token: org.token,
    body: { enabled: true, branchFilter: ['main'] },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  // The webhook secret is an organization admin's to read; the instance admin may.
  const info = await api.request('GET', `/services/${created.body.id}/webhook`);
  expect(info.body.secretToken, JSON.stringify(info.body)).toBeTruthy();
  return { id: created.body.id as string, secret: info.body.secretToken as string };
}

/** Row counts of every table an accepted request of these tests would write to. */
async function rowCounts() {
  const tables = { services, builds, autoCiSettings, gitProviders, webhookDeliveries };
  const entries = await Promise.all(
    Object.entries(tables).map(async ([name, table]) => [
      name,
      (await api.db.select({ n: count() }).from(table))[0]!.n,
    ]),
  );
  return Object.fromEntries(entries) as Record<string, number>;
}

/** Sends the request, expects a 400 whose message is `message`, and that no table gained or lost a row. */
async function expectRefused(send: () => Promise<{ status: number; body: JsonBody }>, message: string | RegExp) {
  const before = await rowCounts();
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  if (typeof message === 'string') expect(res.body.message).toBe(message);
  else expect(res.body.message).toMatch(message);
  expect(await rowCounts()).toEqual(before);
  return res;
}

beforeAll(async () => {
  api = await createTestApi();
  org = await createOrgWithMember(api, 'guarded');
  const registry = await api.request('POST', '/registries', {
    body: {
      organizationId: org.organizationId,
      name: 'reg',
      kind: 'oci',
      url: '127.0.0.1:5000',
      project: 'team',
      username: 'u',
      password: 'p',
    },
  });
  expect(registry.status, JSON.stringify(registry.body)).toBe(201);
  registryId = registry.body.id;
  for (const kind of ['gitlab', 'github']) {
    const connection = await api.request('POST', '/git-providers', {
      body: { organizationId: org.organizationId, kind, token: `${kind}-token`, verify: false },
    });
    expect(connection.status, JSON.stringify(connection.body)).toBe(201);
  }
  gitlabService = await createService('guarded', 'gitlab', 'https://gitlab.example.com/team/guarded.git');
  githubService = await createService('guarded-gh', 'github', 'https://github.com/octo/guarded.git');
});
afterAll(async () => api?.close());

describe('API JSON bodies', () => {
  it('refuses a NUL in a service name, repoUrl and projectPath before validation or any insert', async () => {
    const service = {
      name: 'fresh',
      gitProvider: 'gitlab',
      repoUrl: 'https://gitlab.example.com/team/fresh.git',
      registryId,
    };
    for (const [field, value] of [
      ['name', `fre${NUL}sh`],
      ['repoUrl', `https://gitlab.example.com/team/fre${NUL}sh.git`],
      ['projectPath', `team/fre${NUL}sh`],
    ]) {
      await expectRefused(
        () => api.request('POST', '/services', { token: org.token, body: { ...service, [field!]: value } }),
        nulMessage('Field', field!),
      );
    }
    // The same body without the NUL is accepted: the refusal is about the NUL, not the rest.
    expect((await api.request('POST', '/services', { token: org.token, body: service })).status).toBe(201);
  });

  it('refuses a NUL in the Dockerfile path, a branch filter entry, a build arg name and value', async () => {
    const before = await api.request('GET', `/services/${gitlabService.id}/auto-ci`, { token: org.token });
    const put = (body: object) => () =>
      api.request('PUT', `/services/${gitlabService.id}/auto-ci`, { token: org.token, body });
    await expectRefused(put({ dockerfilePath: `docker/Docker${NUL}file` }), nulMessage('Field', 'dockerfilePath'));
    await expectRefused(put({ branchFilter: ['main', `rel${NUL}ease/*`] }), nulMessage('Field', 'branchFilter[1]'));
    await expectRefused(put({ buildArgs: { VERSION: `1${NUL}2` } }), nulMessage('Field', 'buildArgs.VERSION'));
    await expectRefused(put({ buildArgs: { [`A${NUL}B`]: '1' } }), nulMessage('Field', 'buildArgs.A\\u0000B'));
    const after = await api.request('GET', `/services/${gitlabService.id}/auto-ci`, { token: org.token });
    expect(after.body).toEqual(before.body);
  });

  it('refuses a NUL in a manual build branch and in a Git connection URL', async () => {
    await expectRefused(
      () =>
        api.request('POST', `/services/${gitlabService.id}/builds`, {
          token: org.token,
          body: { branch: `ma${NUL}in` },
        }),
      nulMessage('Field', 'branch'),
    );
    await expectRefused(
      () =>
        api.request('POST', '/git-providers', {
          body: {
            organizationId: org.organizationId,
            kind: 'gitlab',
            baseUrl: `https://git${NUL}lab.example.com`,
            token: 't',
            verify: false,
          },
        }),
      nulMessage('Field', 'baseUrl'),
    );
  });

  it('refuses an unpaired surrogate (escaped in the JSON text) and a body that is not UTF-8', async () => {
    const raw = (body: BodyInit) => async () => {
      const res = await api.app.request('/api/v1/services', {
        method: 'POST',
        headers: { authorization: `Bearer ${org.token}`, 'content-type': 'application/json' },
        body,
      });
      return { status: res.status, body: (await res.json()) as JsonBody };
    };
    const json = `{"name":"x","gitProvider":"gitlab","repoUrl":"https://gitlab.example.com/a/b\\ud800.git"}`;
    await expectRefused(
      raw(json),
      'Field "repoUrl" contains an unpaired UTF-16 surrogate (not valid Unicode), which Kiln cannot store. Remove it and send the request again.',
    );
    const bytes = Buffer.concat([Buffer.from('{"name":"x'), Buffer.from([0xff]), Buffer.from('"}')]);
    await expectRefused(raw(new Blob([bytes])), /request body is not valid UTF-8/);
  });
});

describe('API path and query parameters', () => {
  it('refuses a NUL in a query parameter instead of answering 500', async () => {
    const before = await rowCounts();
    const res = await api.request('GET', `/builds?branch=ma%00in`, { token: org.token });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(nulMessage('Query parameter', 'branch'));
    const search = await api.request('GET', `/builds/00000000-0000-4000-8000-000000000000/logs?search=%00`, {
      token: org.token,
    });
    expect(search.body.message).toBe(nulMessage('Query parameter', 'search'));
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a NUL in a path parameter, named after the route parameter', async () => {
    await expectRefused(
      () => api.request('PATCH', `/services/${gitlabService.id}%00`, { token: org.token, body: { name: 'renamed' } }),
      nulMessage('Path parameter', 'id'),
    );
    const service = await api.request('GET', `/services/${gitlabService.id}`, { token: org.token });
    expect(service.body.name).toBe('guarded');
  });
});

describe('webhook deliveries', () => {
  const gitlab = async (payload: unknown) => {
    const body = JSON.stringify(payload);
    const res = await api.app.request('/api/v1/webhook/gitlab', {
      method: 'POST',
      headers: gitlabHeaders('Push Hook', gitlabService.secret),
      body,
    });
    return { status: res.status, body: (await res.json()) as JsonBody };
  };
  const deliveriesOf = (serviceId: string) =>
    api.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.serviceId, serviceId));

  it('a correctly signed GitLab push reaches the service (control for the refusals below)', async () => {
    // A branch outside the filter: authenticated and recorded, but no build (and no Temporal needed).
    const res = await gitlab(gitlabPush(project, { ref: 'refs/heads/other' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.reason).toBe('branch_not_in_filter');
  });

  it('refuses a NUL in the pushed ref or the repository path with 400, records nothing for the service', async () => {
    const recorded = (await deliveriesOf(gitlabService.id)).length;
    const ref = await gitlab(gitlabPush(project, { ref: `refs/heads/ma${NUL}in` }));
    expect(ref.status).toBe(400);
    expect(ref.body.message).toBe(nulMessage('Field', 'ref'));
    const payload = gitlabPush(project);
    const renamed = { ...payload, project: { ...payload.project, path_with_namespace: `team/guar${NUL}ded` } };
    const path = await gitlab(renamed);
    expect(path.status).toBe(400);
    expect(path.body.message).toBe(nulMessage('Field', 'project.path_with_namespace'));
    expect(await api.db.select().from(builds).where(eq(builds.serviceId, gitlabService.id))).toHaveLength(0);
    expect(await deliveriesOf(gitlabService.id)).toHaveLength(recorded);
  });

  it('refuses a NUL in a signed GitHub repository name, JSON or form-encoded', async () => {
    const payload = githubPush('octo/guarded');
    const body = JSON.stringify({ ...payload, repository: { ...payload.repository, full_name: `octo/guar${NUL}ded` } });
    const send = async (text: string, contentType: string) => {
      const headers = { ...githubHeaders('push', text, githubService.secret), 'content-type': contentType };
      const res = await api.app.request('/api/v1/webhook/github', { method: 'POST', headers, body: text });
      return { status: res.status, body: (await res.json()) as JsonBody };
    };
    const json = await send(body, 'application/json');
    expect(json.status).toBe(400);
    expect(json.body.message).toBe(nulMessage('Field', 'repository.full_name'));
    const form = await send(`payload=${encodeURIComponent(body)}`, 'application/x-www-form-urlencoded');
    expect(form.status).toBe(400);
    expect(form.body.message).toBe(nulMessage('Field', 'repository.full_name'));
    expect(await api.db.select().from(builds).where(eq(builds.serviceId, githubService.id))).toHaveLength(0);
    expect(await deliveriesOf(githubService.id)).toHaveLength(0);
  });
});
