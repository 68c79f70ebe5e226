import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github';
import { type FakeGitLab, startFakeGitLab } from '../support/fake-gitlab';

let api: TestApi;
let gitlab: FakeGitLab;
let github: FakeGitHub;
let organizationId: string;

beforeAll(async () => {
  [api, gitlab, github] = await Promise.all([createTestApi(), startFakeGitLab(), startFakeGitHub()]);
  organizationId = (await createOrgWithMember(api, 'checks')).organizationId;
  gitlab.addToken('glpat-good', ['api', 'read_repository']);
  gitlab.addToken('glpat-readonly', ['read_user']);
  github.addToken('ghp_good', { login: 'kiln-bot', scopes: ['repo'] });
});
afterAll(async () => Promise.all([api.close(), gitlab.stop(), github.stop()]));

const register = (body: Record<string, unknown>) =>
  api.request('POST', '/git-providers', { body: { organizationId, ...body } });
const stored = async () => (await api.request('GET', `/git-providers?organizationId=${organizationId}`)).body.items;

describe('registering an organization Git token', () => {
  it('checks a GitLab token with the provider and reports what it can do', async () => {
    const res = await register({ kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-good' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.check).toMatchObject({ scopes: expect.arrayContaining(['api']) });
    expect(JSON.stringify(res.body)).not.toContain('glpat-good');
  });

  it('refuses a token GitLab rejects or that lacks the api scope, and stores nothing', async () => {
    const before = (await stored()).length;
    const rejected = await register({ kind: 'gitlab', baseUrl: `${gitlab.baseUrl}/`, token: 'glpat-unknown' });
    expect(rejected.status).toBe(422);
    expect(rejected.body.message).toMatch(/401|token/i);
    const narrow = await register({ kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-readonly' });
    expect(narrow.status).toBe(422);
    expect(narrow.body.message).toMatch(/api/);
    expect(await stored()).toHaveLength(before);
  });

  it('checks a GitHub token too, and refuses an unreachable address with a clear reason', async () => {
    const ok = await register({ kind: 'github', baseUrl: `${github.baseUrl}/api/v3`, token: 'ghp_good' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.check.identity).toBe('kiln-bot');
    const unreachable = await register({ kind: 'github', baseUrl: 'http://127.0.0.1:9', token: 'ghp_good' });
    expect(unreachable.status).toBe(422);
  });

  it('re-checks on update and skips the check only when asked to', async () => {
    const plain = await register({ kind: 'gitlab', baseUrl: 'http://127.0.0.1:9', token: 'anything', verify: false });
    expect(plain.status).toBe(201);
    expect(plain.body.check).toBeNull();
    const changed = await api.request('PATCH', `/git-providers/${plain.body.id}`, { body: { token: 'still-bad' } });
    expect(changed.status).toBe(422);
  });
});
