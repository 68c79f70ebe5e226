import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithMember, createTestApi, expectStatus, type TestApi } from '../support/api-client';
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

type Registration = { kind: 'gitlab' | 'github'; baseUrl: string; token: string; verify?: boolean };
const register = (json: Registration) => api.client()['git-providers'].$post({ json: { organizationId, ...json } });
const stored = async () =>
  (await expectStatus(api.client()['git-providers'].$get({ query: { organizationId } }), 200)).items;

describe('registering an organization Git token', () => {
  it('checks a GitLab token with the provider and reports what it can do', async () => {
    const res = await expectStatus(register({ kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-good' }), 201);
    expect(res.check).toMatchObject({ scopes: expect.arrayContaining(['api']) });
    expect(JSON.stringify(res)).not.toContain('glpat-good');
  });

  it('refuses a token GitLab rejects or that lacks the api scope, and stores nothing', async () => {
    const before = (await stored()).length;
    const rejected = await expectStatus(
      register({ kind: 'gitlab', baseUrl: `${gitlab.baseUrl}/`, token: 'glpat-unknown' }),
      422,
    );
    expect(rejected.message).toMatch(/401|token/i);
    const narrow = await expectStatus(
      register({ kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-readonly' }),
      422,
    );
    expect(narrow.message).toMatch(/api/);
    expect(await stored()).toHaveLength(before);
  });

  it('checks a GitHub token too, and refuses an unreachable address with a clear reason', async () => {
    const ok = await expectStatus(
      register({ kind: 'github', baseUrl: `${github.baseUrl}/api/v3`, token: 'ghp_good' }),
      201,
    );
    expect(ok.check?.identity).toBe('kiln-bot');
    await expectStatus(register({ kind: 'github', baseUrl: 'http://127.0.0.1:9', token: 'ghp_good' }), 422);
  });

  it('re-checks on update and skips the check only when asked to', async () => {
    const plain = await expectStatus(
      register({ kind: 'gitlab', baseUrl: 'http://127.0.0.1:9', token: 'anything', verify: false }),
      201,
    );
    expect(plain.check).toBeNull();
    const patch = { param: { id: plain.id }, json: { token: 'still-bad' } };
    await expectStatus(api.client()['git-providers'][':id'].$patch(patch), 422);
  });
});
