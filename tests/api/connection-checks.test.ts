// Test connection for registries (GET /v2/ with the credentials, against a real registry), for plain git servers
// (git ls-remote against a real git server, the token bound to the connection's origin), the public sign-in hint
// and the OpenAPI document's registry pattern and error examples.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithMember, createTestApi, expectStatus } from '../support/api-client';
import type { JsonBody, KilnClient, TestApi } from '../support/api-client';
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
  kind: 'oci' as const,
  url: registry.host,
  username: 'pusher',
  password,
  insecure: true,
});

const admin = (): KilnClient => api.client(org.adminToken);
type RegistryCheck = ReturnType<typeof registryBody>;
const checkRegistry = (json: RegistryCheck) => admin()['registry-checks'].$post({ json });
const checkStored = (id: string, token = org.adminToken) =>
  api.client(token).registries[':id'].check.$post({ param: { id } });
type GitCheck = { repositoryUrl: string; token?: string; baseUrl?: string; connectionId?: string };
const checkGit = (json: GitCheck, token = org.adminToken) => api.client(token)['git-checks'].$post({ json });

describe('Registry Test connection', () => {
  it('says the registry accepted the login with the right password and names the refusal with a wrong one', async () => {
    const ok = await expectStatus(checkRegistry(registryBody('right-pass')), 200);
    expect(ok).toMatchObject({ host: registry.host, authenticated: true });
    expect(ok.message).toContain('accepted the login of user "pusher"');

    const bad = await expectStatus(checkRegistry(registryBody('wrong')), 422);
    expect(bad.message).toMatch(/^Registry authentication failed: .* refused the login/);
    expect(JSON.stringify(bad)).not.toContain('wrong"');
  });

  it('tells an unreachable address and a host that is no registry apart', async () => {
    const closed = await expectStatus(checkRegistry({ ...registryBody('x'), url: '127.0.0.1:9' }), 422);
    expect(closed.message).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:9\/v2\//);

    const web = createServer((_req, res) => res.writeHead(404).end('no such page'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const notRegistry = await checkRegistry({
      ...registryBody('x'),
      url: `127.0.0.1:${(web.address() as AddressInfo).port}`,
    });
    web.close();
    expect((await expectStatus(notRegistry, 422)).message).toContain('does not look like an OCI registry');
  });

  it('tests a stored registry with its stored password; members may not, and other organizations see 404', async () => {
    const json = { name: 'local', project: 'team', ...registryBody('right-pass') };
    const { id } = await expectStatus(admin().registries.$post({ json }), 201);
    const ok = await expectStatus(checkStored(id), 200);
    expect(ok.authenticated).toBe(true);

    const member = await expectStatus(checkStored(id, org.token), 403);
    expect(member.message).toContain('Only organization admins can test registries');
    const other = await createOrgWithMember(api, 'checks-other');
    await expectStatus(checkStored(id, other.adminToken), 404);

    // Moving the registry clears its password: the check refuses to send anything to the new host.
    await admin().registries[':id'].$patch({ param: { id }, json: { url: '127.0.0.1:9' } });
    const moved = await expectStatus(checkStored(id), 409);
    expect(moved.message).toContain('no password since its URL changed');
  });
});

describe('Plain git server Test clone', () => {
  it('lists the branches with the right token and says what git said with a wrong one', async () => {
    const repo = await git.createRepository('team/plain', { 'README.md': 'hi\n' });
    const ok = await expectStatus(checkGit({ repositoryUrl: repo.url, token: gitToken, baseUrl: git.baseUrl }), 200);
    expect(ok).toMatchObject({ usedToken: true, branches: ['main'] });

    const bad = await expectStatus(
      checkGit({ repositoryUrl: repo.url, token: 'not-the-token', baseUrl: git.baseUrl }),
      422,
    );
    expect(bad.message).toMatch(/^git ls-remote failed: .*Authentication failed/);
    expect(bad.message).not.toContain('not-the-token');
  });

  it('uses a stored connection only for repositories on its own origin', async () => {
    const repo = await git.createRepository('team/stored', { 'README.md': 'hi\n' });
    const json = { kind: 'github' as const, baseUrl: git.baseUrl, token: gitToken, verify: false };
    const { id } = await expectStatus(admin()['git-providers'].$post({ json }), 201);
    const ok = await expectStatus(checkGit({ repositoryUrl: repo.url, connectionId: id }), 200);
    expect(ok.usedToken).toBe(true);

    const before = git.requests.length;
    const elsewhere = await expectStatus(
      checkGit({ repositoryUrl: repo.url.replace('127.0.0.1', 'localhost'), connectionId: id }),
      400,
    );
    expect(elsewhere.message).toContain('only sent to its own address');
    expect(git.requests.length).toBe(before);

    await expectStatus(checkGit({ repositoryUrl: repo.url, connectionId: id }, org.token), 403);
  });
});

describe('Sign-in hint and OpenAPI wording', () => {
  it('names the admin token file without a token, and never the token', async () => {
    const hint = await expectStatus(api.client(null)['sign-in'].$get(), 200);
    expect(hint).toEqual({ adminTokenFile: '/srv/kiln-data/admin-token' });
  });

  it('documents a registry url pattern that matches hosts, and distinct 400/401/403 examples', async () => {
    // The OpenAPI document is not a typed route: read raw.
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
