// Test connection for registries (GET /v2/ with the credentials, against a real registry), for plain git servers
// (git ls-remote against a real git server, the token bound to the connection's origin), the public sign-in hint
// and the OpenAPI document's registry pattern and error examples.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithMember, createTestApi } from '../support/api-client';
import type { JsonBody, TestApi } from '../support/api-client';
import { startGitServer } from '../support/git-server';
import type { GitServer } from '../support/git-server';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';

let api: TestApi;
let registry: TestRegistry;
let git: GitServer;
let org: Awaited<ReturnType<typeof createOrgWithMember>>;
const gitToken = 'plain-git-token-7781';

beforeAll(async () => {
  [api, registry, git] = await Promise.all([
    createTestApi({ config: { adminTokenFile: '/srv/kiln-data/admin-token' } }),
    startRegistry({ username: 'pusher', password: 'right-pass' }),
    startGitServer({ username: 'oauth2', password: gitToken }),
  ]);
  org = await createOrgWithMember(api, 'checks');
}, 60_000);
afterAll(async () => {
  await Promise.all([api?.close(), registry?.stop(), git?.stop()]);
});

const registryBody = (password: string) => ({
  kind: 'oci',
  url: registry.host,
  username: 'pusher',
  password,
  insecure: true,
});

describe('Registry Test connection', () => {
  it('says the registry accepted the login with the right password and names the refusal with a wrong one', async () => {
    const ok = await api.request('POST', '/registry-checks', {
      token: org.adminToken,
      body: registryBody('right-pass'),
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ host: registry.host, authenticated: true });
    expect(ok.body.message).toContain('accepted the login of user "pusher"');

    const bad = await api.request('POST', '/registry-checks', { token: org.adminToken, body: registryBody('wrong') });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/^Registry authentication failed: .* refused the login/);
    expect(JSON.stringify(bad.body)).not.toContain('wrong"');
  });

  it('tells an unreachable address and a host that is no registry apart', async () => {
    const closed = await api.request('POST', '/registry-checks', {
      token: org.adminToken,
      body: { ...registryBody('x'), url: '127.0.0.1:9' },
    });
    expect(closed.status).toBe(422);
    expect(closed.body.message).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:9\/v2\//);

    const web = createServer((_req, res) => res.writeHead(404).end('no such page'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const notRegistry = await api.request('POST', '/registry-checks', {
      token: org.adminToken,
      body: { ...registryBody('x'), url: `127.0.0.1:${(web.address() as AddressInfo).port}` },
    });
    web.close();
    expect(notRegistry.status).toBe(422);
    expect(notRegistry.body.message).toContain('does not look like an OCI registry');
  });

  it('tests a stored registry with its stored password; members may not, and other organizations see 404', async () => {
    const created = await api.request('POST', '/registries', {
      token: org.adminToken,
      body: { name: 'local', project: 'team', ...registryBody('right-pass') },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const ok = await api.request('POST', `/registries/${id}/check`, { token: org.adminToken });
    expect(ok.status).toBe(200);
    expect(ok.body.authenticated).toBe(true);

    const member = await api.request('POST', `/registries/${id}/check`, { token: org.token });
    expect(member.status).toBe(403);
    expect(member.body.message).toContain('Only organization admins can test registries');
    const other = await createOrgWithMember(api, 'checks-other');
    const foreign = await api.request('POST', `/registries/${id}/check`, { token: other.adminToken });
    expect(foreign.status).toBe(404);

    // Moving the registry clears its password: the check refuses to send anything to the new host.
    await api.request('PATCH', `/registries/${id}`, { token: org.adminToken, body: { url: '127.0.0.1:9' } });
    const moved = await api.request('POST', `/registries/${id}/check`, { token: org.adminToken });
    expect(moved.status).toBe(409);
    expect(moved.body.message).toContain('no password since its URL changed');
  });
});

describe('Plain git server Test clone', () => {
  it('lists the branches with the right token and says what git said with a wrong one', async () => {
    const repo = await git.createRepository('team/plain', { 'README.md': 'hi\n' });
    const ok = await api.request('POST', '/git-checks', {
      token: org.adminToken,
      body: { repositoryUrl: repo.url, token: gitToken, baseUrl: git.baseUrl },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ usedToken: true, branches: ['main'] });

    const bad = await api.request('POST', '/git-checks', {
      token: org.adminToken,
      body: { repositoryUrl: repo.url, token: 'not-the-token', baseUrl: git.baseUrl },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/^git ls-remote failed: .*Authentication failed/);
    expect(bad.body.message).not.toContain('not-the-token');
  });

  it('uses a stored connection only for repositories on its own origin', async () => {
    const repo = await git.createRepository('team/stored', { 'README.md': 'hi\n' });
    const connection = await api.request('POST', '/git-providers', {
      token: org.adminToken,
      body: { kind: 'github', baseUrl: git.baseUrl, token: gitToken, verify: false },
    });
    expect(connection.status).toBe(201);
    const id = connection.body.id as string;
    const ok = await api.request('POST', '/git-checks', {
      token: org.adminToken,
      body: { repositoryUrl: repo.url, connectionId: id },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.usedToken).toBe(true);

    const before = git.requests.length;
    const elsewhere = await api.request('POST', '/git-checks', {
      token: org.adminToken,
      body: { repositoryUrl: repo.url.replace('127.0.0.1', 'localhost'), connectionId: id },
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.message).toContain('only sent to its own address');
    expect(git.requests.length).toBe(before);

    const member = await api.request('POST', '/git-checks', {
      token: org.token,
      body: { repositoryUrl: repo.url, connectionId: id },
    });
    expect(member.status).toBe(403);
  });
});

describe('Sign-in hint and OpenAPI wording', () => {
  it('names the admin token file without a token, and never the token', async () => {
    const hint = await api.request('GET', '/sign-in', { token: null });
    expect(hint).toEqual({ status: 200, body: { adminTokenFile: '/srv/kiln-data/admin-token' } });
  });

  it('documents a registry url pattern that matches hosts, and distinct 400/401/403 examples', async () => {
    const doc = (await api.request('GET', '/openapi.json', { token: null })).body;
    const create = doc.paths['/api/v1/registries'].post;
    const pattern = findPattern(create.requestBody.content['application/json'].schema, doc);
    expect(pattern.endsWith('$')).toBe(true);
    for (const host of ['harbor.example.com', 'http://127.0.0.1:5000', 'HTTPS://Registry.Example.com:443']) {
      expect(new RegExp(pattern).test(host)).toBe(true);
    }
    expect(new RegExp(pattern).test('harbor.example.com/path')).toBe(false);
    const responses = create.responses;
    const examples = [400, 401, 403].map((s) => responses[s].content['application/json'].example.message as string);
    expect(examples[0]).toMatch(/^Invalid request/);
    expect(examples[1]).toMatch(/API token/);
    expect(examples[2]).toMatch(/^Only organization admins/);
  });
});

function findPattern(
  schema: { $ref?: string; properties?: Record<string, { pattern?: string }> },
  doc: JsonBody,
): string {
  const resolved = schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema;
  return resolved.properties.url.pattern;
}
