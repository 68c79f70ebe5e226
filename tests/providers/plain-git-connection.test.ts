import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommitStatusActivities, type StatusLogger } from '../../activities/commit-status';
import { builds } from '../../db/schema';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github';
import { type FakeGitLab, startFakeGitLab } from '../support/fake-gitlab';

// The fakes speak the real GitLab/GitHub APIs and accept these tokens: whatever Kiln sent would land there. A
// connection marked as a plain git server must therefore leave them untouched.
let api: TestApi;
let github: FakeGitHub;
let gitlab: FakeGitLab;
let org: Awaited<ReturnType<typeof createOrgWithMember>>;
const sha = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
const logs: { details: Record<string, unknown>; message: string }[] = [];
const logger: StatusLogger = {
  info: (details, message) => logs.push({ details: details as Record<string, unknown>, message }),
  warn: (details, message) => logs.push({ details: details as Record<string, unknown>, message }),
};

beforeAll(async () => {
  [api, github, gitlab] = await Promise.all([createTestApi(), startFakeGitHub(), startFakeGitLab()]);
  github.addToken('ghp_repo', { login: 'kiln-bot', scopes: ['repo'] });
  github.addRepo('acme/shop');
  gitlab.addToken('glpat-api', ['api']);
  gitlab.addProject(7, 'group/app');
  gitlab.addPipeline(7, { ref: 'main', sha, status: 'running' });
  org = await createOrgWithMember(api, `plain-${randomUUID().slice(0, 8)}`);
});
afterAll(async () => Promise.all([api?.close(), github?.stop(), gitlab?.stop()]));

const asAdmin = (method: string, path: string, body?: unknown) =>
  api.request(method, path, { token: org.adminToken, body });

async function connectPlain(kind: 'github' | 'gitlab', baseUrl: string, token: string) {
  const created = await asAdmin('POST', '/git-providers', { kind, baseUrl, token, providerApi: false });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

async function createService(kind: 'github' | 'gitlab', repoUrl: string, projectPath: string) {
  const created = await asAdmin('POST', '/services', {
    name: `svc-${randomUUID().slice(0, 8)}`,
    gitProvider: kind,
    repoUrl,
    projectPath,
    ...(kind === 'gitlab' ? { projectId: 7 } : {}),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; organizationId: string };
}

async function seedBuild(service: { id: string; organizationId: string }) {
  const [build] = await api.db
    .insert(builds)
    .values({
      serviceId: service.id,
      organizationId: service.organizationId,
      trigger: 'api',
      event: 'manual',
      ref: 'refs/heads/main',
      branch: 'main',
      sha,
      workflowId: `wf-${randomUUID()}`,
    })
    .returning();
  return build!;
}

describe('a Git connection to a plain git server (providerApi false)', () => {
  let provider: { id: string };
  let service: { id: string; organizationId: string };
  beforeAll(async () => {
    // A token GitHub would reject (401): stored unchecked, since a plain git server has no API to ask.
    provider = await connectPlain('github', github.baseUrl, 'git-password-not-a-github-token');
    service = await createService('github', `${github.baseUrl}/acme/shop.git`, 'acme/shop');
  });

  it('is stored and listed as a plain git server, its token unchecked even with verify on', async () => {
    const listed = await asAdmin('GET', '/git-providers');
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: provider.id, kind: 'github', providerApi: false, hasToken: true }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain('git-password-not-a-github-token');
    expect(github.requests).toEqual([]);
  });

  it('posts no commit status, and says why instead of failing quietly', async () => {
    const build = await seedBuild(service);
    const statuses = createCommitStatusActivities({
      db: api.db,
      cipher: api.cipher,
      publicUrl: 'https://kiln.example.com',
      logger,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    for (const state of ['pending', 'running', 'success'] as const) {
      await statuses.reportCommitStatus({ buildId: build.id, state });
    }
    expect(github.repos.get('acme/shop')!.statuses).toEqual([]);
    expect(github.requests).toEqual([]);
    const skipped = logs.filter((l) => l.details.buildId === build.id);
    expect(skipped.map((l) => l.message)).toEqual(Array(3).fill('commit status skipped'));
    expect(skipped[0]!.details.reason).toBe(
      `${github.baseUrl} is a plain git server (no GitLab/GitHub API): Kiln posts no commit statuses there.`,
    );

    // The same connection with its API back on does post: the skip above is the flag, not a broken setup.
    expect(
      (await asAdmin('PATCH', `/git-providers/${provider.id}`, { token: 'ghp_repo', providerApi: true })).status,
    ).toBe(200);
    try {
      await statuses.reportCommitStatus({ buildId: build.id, state: 'success' });
      expect(github.repos.get('acme/shop')!.statuses.map((s) => s.state)).toEqual(['success']);
    } finally {
      const back = await asAdmin('PATCH', `/git-providers/${provider.id}`, {
        token: 'git-password-not-a-github-token',
        providerApi: false,
      });
      expect(back.body.providerApi).toBe(false);
    }
  });

  it('registers no webhook: 409 saying to add it by hand, and the Webhook tab says the same', async () => {
    const register = await asAdmin('POST', `/services/${service.id}/webhook/register`, {});
    expect(register.status).toBe(409);
    expect(register.body.message).toBe(
      `${github.baseUrl} is a plain git server (no GitLab/GitHub API): Kiln cannot register its webhook there: add it in the server by hand with the URL and secret shown in this tab.`,
    );
    expect(github.repos.get('acme/shop')!.hooks).toEqual([]);
    expect(github.requests.filter((r) => r.path.includes('/hooks'))).toEqual([]);
    const info = await asAdmin('GET', `/services/${service.id}/webhook`);
    expect(info.status).toBe(200);
    expect(info.body.plainGitServer).toBe(`${register.body.message} Kiln posts no commit statuses there either.`);
    expect(info.body.secretToken).toBeTruthy();
  });

  it('refuses an API token check and points to the clone test', async () => {
    const check = await asAdmin('POST', `/provider-checks/${provider.id}`, {});
    expect(check.status).toBe(409);
    expect(check.body.message).toMatch(/is a plain git server .*tested with a clone .*Test clone/);
  });

  it('answers the pipelines tab with the reason, not with the server', async () => {
    await connectPlain('gitlab', gitlab.baseUrl, 'glpat-api');
    const onGitlab = await createService('gitlab', `${gitlab.baseUrl}/group/app.git`, 'group/app');
    const before = gitlab.requests.length;
    const pipelines = await asAdmin('GET', `/services/${onGitlab.id}/pipelines`);
    expect(pipelines.status).toBe(200);
    expect(pipelines.body).toEqual({
      linked: false,
      reason: 'plain-git',
      message: `${gitlab.baseUrl} is a plain git server (no GitLab/GitHub API): it has no pipelines to show (Kiln builds its pushes from the webhook).`,
    });
    const run = await asAdmin('POST', `/services/${onGitlab.id}/pipelines`, { ref: 'main' });
    expect(run.status).toBe(409);
    expect(run.body.message).toBe(pipelines.body.message);
    expect(gitlab.projects.get(7)!.pipelines).toHaveLength(1);
    expect(gitlab.requests).toHaveLength(before);
  });

  it('keeps GitLab and GitHub connections API-backed by default', async () => {
    const other = await createOrgWithMember(api, `api-${randomUUID().slice(0, 8)}`);
    const created = await api.request('POST', '/git-providers', {
      token: other.adminToken,
      body: { kind: 'github', baseUrl: github.baseUrl, token: 'ghp_repo' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ providerApi: true, check: { identity: 'kiln-bot' } });
  });
});
