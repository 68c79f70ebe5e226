import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuildWizardActivities } from '../../activities/build-wizard';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github';
import { type FakeGitLab, startFakeGitLab } from '../support/fake-gitlab';

// The merge/pull request activity must take its token from the credential resolver: only a connection of the
// service's own organization on the repository's exact origin. These tests give it none (or the wrong one).
let api: TestApi;
let gitlab: FakeGitLab;
let github: FakeGitHub;
let workspaceRoot: string;
let team: Awaited<ReturnType<typeof createOrgWithMember>>;
let rival: Awaited<ReturnType<typeof createOrgWithMember>>;
let wizard: ReturnType<typeof createBuildWizardActivities>;

const files = { dockerfile: 'FROM nginx:1\nCOPY . /usr/share/nginx/html\n', dockerignore: '.git\n' };

beforeAll(async () => {
  [api, gitlab, github] = await Promise.all([createTestApi(), startFakeGitLab(), startFakeGitHub()]);
  gitlab.addToken('glpat-team', ['api']);
  gitlab.addToken('glpat-rival', ['api']);
  gitlab.addProject(7, 'group/app');
  github.addToken('ghp_rival', { login: 'rival-bot', scopes: ['repo'] });
  github.addRepo('acme/shop');
  team = await createOrgWithMember(api, 'wizard-creds-team');
  rival = await createOrgWithMember(api, 'wizard-creds-rival');
  workspaceRoot = await mkdtemp(path.join(tmpdir(), 'kiln-wizard-creds-'));
  wizard = createBuildWizardActivities({ db: api.db, cipher: api.cipher, workspaceRoot });
});
afterAll(async () => {
  await Promise.all([gitlab?.stop(), github?.stop(), api?.close()]);
  if (workspaceRoot) await rm(workspaceRoot, { recursive: true, force: true });
});

async function connect(org: typeof team, body: Record<string, unknown>) {
  const res = await api.request('POST', '/git-providers', { token: org.adminToken, body: { verify: false, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

async function service(name: string, body: Record<string, unknown>): Promise<string> {
  const res = await api.request('POST', '/services', { token: team.token, body: { name, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

async function failureOf(
  promise: Promise<unknown>,
): Promise<{ message: string; type?: string; nonRetryable?: boolean }> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error as { message: string; type?: string; nonRetryable?: boolean },
  );
  expect(outcome, 'the activity should have failed').not.toBeNull();
  return outcome!;
}

describe('Build Wizard merge/pull request credentials', () => {
  it('GitLab: no connection for the origin is a clear error and the provider sees no request, even when another organization has one', async () => {
    // Another organization's token on the very origin, and this organization's token on another origin.
    await connect(rival, { kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-rival' });
    await connect(team, { kind: 'gitlab', baseUrl: 'https://gitlab.elsewhere.example', token: 'glpat-team' });
    const id = await service('wizard-creds-gitlab', {
      gitProvider: 'gitlab',
      repoUrl: `${gitlab.baseUrl}/group/app.git`,
      projectPath: 'group/app',
      projectId: 7,
    });
    const before = gitlab.requests.length;
    const failure = await failureOf(wizard.openWizardChangeRequest({ serviceId: id, ...files }));
    expect(failure.message).toContain(`No GitLab token is registered for ${new URL(gitlab.baseUrl).origin}`);
    expect(failure.message).toMatch(/organization admin registers one/);
    expect(failure.type).toBe('ConfigurationError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).not.toContain('glpat-');
    expect(gitlab.requests.slice(before)).toEqual([]);
    expect(gitlab.content.repo('7').changeRequests).toEqual([]);

    // With this organization's own connection on the origin it works, and only that token is ever sent.
    await connect(team, { kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-team' });
    const opened = await wizard.openWizardChangeRequest({ serviceId: id, ...files });
    expect(opened).toMatchObject({ provider: 'gitlab', number: 1, created: true });
    const sent = gitlab.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    for (const request of sent) {
      expect([request.privateToken, request.authorization?.replace(/^Bearer /, '')]).toContain('glpat-team');
    }
  });

  it('GitHub: no connection for the origin is a clear error and the provider sees no request', async () => {
    await connect(rival, { kind: 'github', baseUrl: github.baseUrl, token: 'ghp_rival' });
    const id = await service('wizard-creds-github', {
      gitProvider: 'github',
      repoUrl: `${github.baseUrl}/acme/shop.git`,
      projectPath: 'acme/shop',
    });
    const before = github.requests.length;
    const failure = await failureOf(wizard.openWizardChangeRequest({ serviceId: id, ...files }));
    expect(failure.message).toContain(`No GitHub token is registered for ${new URL(github.baseUrl).origin}`);
    expect(failure.type).toBe('ConfigurationError');
    expect(github.requests.slice(before)).toEqual([]);
  });
});
