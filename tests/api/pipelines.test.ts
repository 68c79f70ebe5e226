import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github';
import { type FakeGitLab, startFakeGitLab } from '../support/fake-gitlab';

const ESC = '\x1b';
let api: TestApi;
let gitlab: FakeGitLab;
let github: FakeGitHub;
let serviceId: string;
let member: { organizationId: string; token: string };
const ids: Record<string, number> = {};

beforeAll(async () => {
  [api, gitlab, github] = await Promise.all([createTestApi(), startFakeGitLab(), startFakeGitHub()]);
  gitlab.addToken('glpat-api', ['api']);
  gitlab.addProject(7, 'group/app', ['main', 'release']);
  github.addToken('ghp_repo', { login: 'kiln-bot', scopes: ['repo'] });
  github.addRepo('acme/shop');
  for (let i = 0; i < 23; i += 1)
    gitlab.addPipeline(7, { ref: 'main', sha: `${i}`.padStart(40, 'a'), status: 'success' });
  ids.running = gitlab.addPipeline(7, {
    ref: 'main',
    sha: 'b'.repeat(40),
    status: 'running',
    jobs: [{ name: 'build', stage: 'build', status: 'running' }],
  }).id;
  const failed = gitlab.addPipeline(7, {
    ref: 'release',
    sha: 'c'.repeat(40),
    status: 'failed',
    jobs: [
      { name: 'compile', stage: 'build', status: 'success' },
      {
        name: 'unit',
        stage: 'test',
        status: 'failed',
        trace: `$ npm test\n${ESC}[31;1mERROR: Job failed: exit code 1${ESC}[0;m\n`,
      },
      { name: 'lint', stage: 'test', status: 'success' },
    ],
  });
  ids.failed = failed.id;
  ids.failedJob = gitlab.projects.get(7)!.jobs.find((j) => j.name === 'unit')!.id;

  member = await createOrgWithMember(api, 'platform');
  const providers = await api.request('POST', '/git-providers', {
    body: { organizationId: member.organizationId, kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-api' },
  });
  expect(providers.status).toBe(201);
  const service = await api.request('POST', '/services', {
    token: member.token,
    body: { name: 'app', gitProvider: 'gitlab', repoUrl: `${gitlab.baseUrl}/group/app.git`, projectId: '7' },
  });
  expect(service.status).toBe(201);
  serviceId = service.body.id;
});
afterAll(async () => Promise.all([api.close(), gitlab.stop(), github.stop()]));

describe('Pipelines API', () => {
  it('lists pipelines newest first, paginated, with short sha, status label and the GitLab link', async () => {
    const res = await api.request('GET', `/services/${serviceId}/pipelines?perPage=10&page=1`, { token: member.token });
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ page: 1, perPage: 10, total: 25, totalPages: 3, nextPage: 2 });
    expect(res.body.items[0]).toMatchObject({
      id: ids.failed,
      status: 'Failed',
      ref: 'release',
      shortSha: 'cccccccc',
      canRetry: true,
      canCancel: false,
    });
    expect(res.body.items[0].webUrl).toBe(`${gitlab.baseUrl}/group/app/-/pipelines/${ids.failed}`);
    const page3 = await api.request('GET', `/services/${serviceId}/pipelines?perPage=10&page=3`, {
      token: member.token,
    });
    expect(page3.body.items).toHaveLength(5);
  });

  it('shows a pipeline with its jobs grouped by stage', async () => {
    const res = await api.request('GET', `/services/${serviceId}/pipelines/${ids.failed}`, { token: member.token });
    expect(res.status).toBe(200);
    expect(
      res.body.stages.map((s: { name: string; status: string; jobs: { name: string }[] }) => [
        s.name,
        s.status,
        s.jobs.map((j) => j.name),
      ]),
    ).toEqual([
      ['build', 'Success', ['compile']],
      ['test', 'Failed', ['unit', 'lint']],
    ]);
  });

  it('runs a pipeline on a branch, and explains an unknown ref', async () => {
    const run = await api.request('POST', `/services/${serviceId}/pipelines`, {
      token: member.token,
      body: { ref: 'release' },
    });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ ref: 'release', status: 'Pending' });
    const bad = await api.request('POST', `/services/${serviceId}/pipelines`, {
      token: member.token,
      body: { ref: 'nope' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('Reference not found');
    const invalid = await api.request('POST', `/services/${serviceId}/pipelines`, {
      token: member.token,
      body: { ref: 'a b' },
    });
    expect(invalid.status).toBe(400);
  });

  it('cancels only running or pending pipelines and retries only failed or canceled ones', async () => {
    const retryRunning = await api.request('POST', `/services/${serviceId}/pipelines/${ids.running}/retry`, {
      token: member.token,
    });
    expect(retryRunning.status).toBe(409);
    expect(retryRunning.body.message).toBe(
      `Pipeline ${ids.running} is running; only failed or canceled pipelines can be retried.`,
    );
    const cancel = await api.request('POST', `/services/${serviceId}/pipelines/${ids.running}/cancel`, {
      token: member.token,
    });
    expect(cancel.body).toMatchObject({ status: 'Canceled', canRetry: true });
    const cancelAgain = await api.request('POST', `/services/${serviceId}/pipelines/${ids.running}/cancel`, {
      token: member.token,
    });
    expect(cancelAgain.status).toBe(409);
    expect(cancelAgain.body.message).toContain('only running or pending pipelines can be cancelled');
    const retry = await api.request('POST', `/services/${serviceId}/pipelines/${ids.failed}/retry`, {
      token: member.token,
    });
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('Pending');
  });

  it('returns a job log with numbered lines, ANSI kept and red error lines marked stderr', async () => {
    const res = await api.request('GET', `/services/${serviceId}/jobs/${ids.failedJob}/log`, { token: member.token });
    expect(res.status).toBe(200);
    expect(res.body.job).toMatchObject({ name: 'unit', stage: 'test' });
    expect(res.body.lines).toEqual([
      { n: 1, text: '$ npm test', stream: 'stdout', section: null },
      { n: 2, text: `${ESC}[31;1mERROR: Job failed: exit code 1${ESC}[0;m`, stream: 'stderr', section: null },
    ]);
    expect(res.body.streamDetection).toBe('heuristic');
  });

  it('answers 502 with a how-to message when GitLab rejects the token, and 503 when it rate limits', async () => {
    gitlab.tokens.get('glpat-api')!.active = false;
    const rejected = await api.request('GET', `/services/${serviceId}/pipelines`, { token: member.token });
    gitlab.tokens.get('glpat-api')!.active = true;
    expect(rejected.status).toBe(502);
    expect(rejected.body.message).toContain(
      'GitLab rejected the token (401) while listing pipelines: register a token with the api scope',
    );
    gitlab.rateLimit(/pipelines$/, 30);
    const limited = await api.request('GET', `/services/${serviceId}/pipelines`, { token: member.token });
    expect(limited.status).toBe(503);
    expect(limited.body.message).toContain('retry after 30 s');
  });

  it('tells a service without a GitLab project how to connect one, and hides other organizations’ services', async () => {
    const gh = await api.request('POST', '/services', {
      token: member.token,
      body: { name: 'shop', gitProvider: 'github', repoUrl: 'https://github.com/acme/shop.git' },
    });
    const list = await api.request('GET', `/services/${gh.body.id}/pipelines`, { token: member.token });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ linked: false, reason: 'not-gitlab' });
    expect(list.body.message).toContain('set the service');
    const run = await api.request('POST', `/services/${gh.body.id}/pipelines`, {
      token: member.token,
      body: { ref: 'main' },
    });
    expect(run.status).toBe(409);
    const other = await createOrgWithMember(api, 'other-team');
    const hidden = await api.request('GET', `/services/${serviceId}/pipelines`, { token: other.token });
    expect(hidden.status).toBe(404);
  });
});

describe('Provider checks and one-click webhooks API', () => {
  it('checks a token before registration and explains a missing scope', async () => {
    gitlab.addToken('glpat-read', ['read_api']);
    const ok = await api.request('POST', '/provider-checks', {
      body: { kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-api' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ kind: 'gitlab', scopes: ['api'] });
    const weak = await api.request('POST', '/provider-checks', {
      body: { kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-read' },
    });
    expect(weak.status).toBe(422);
    expect(weak.body.message).toContain('Kiln needs api');
    const asMember = await api.request('POST', '/provider-checks', {
      token: member.token,
      body: { kind: 'gitlab', token: 'x' },
    });
    expect(asMember.status).toBe(403);
  });

  it('re-checks a registered token without ever returning it', async () => {
    const providers = await api.request('GET', `/git-providers?organizationId=${member.organizationId}`);
    const stored = await api.request('POST', `/provider-checks/${providers.body.items[0].id}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ kind: 'gitlab', scopes: ['api'] });
    expect(JSON.stringify(stored.body)).not.toContain('glpat-api');
  });

  it('registers the webhook in the GitLab project once; a second click changes nothing', async () => {
    const first = await api.request('POST', `/services/${serviceId}/webhook/register`, { body: {} });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ outcome: 'created', url: 'https://kiln.example.com/api/v1/webhook/gitlab' });
    const second = await api.request('POST', `/services/${serviceId}/webhook/register`, { body: {} });
    expect(second.body).toMatchObject({ outcome: 'unchanged', hookId: first.body.hookId });
    const info = await api.request('GET', `/services/${serviceId}/webhook`);
    expect(gitlab.projects.get(7)!.hooks).toEqual([
      expect.objectContaining({ url: info.body.urls[0].url, token: info.body.secretToken }),
    ]);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await api.request('GET', '/openapi.json', { token: null });
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths).filter((p) => /pipelines|jobs|provider-checks|webhook\/register/.test(p));
    expect(paths.sort()).toEqual([
      '/api/v1/provider-checks',
      '/api/v1/provider-checks/{id}',
      '/api/v1/services/{id}/jobs/{jobId}/log',
      '/api/v1/services/{id}/pipelines',
      '/api/v1/services/{id}/pipelines/{pipelineId}',
      '/api/v1/services/{id}/pipelines/{pipelineId}/cancel',
      '/api/v1/services/{id}/pipelines/{pipelineId}/retry',
      '/api/v1/services/{id}/webhook/register',
    ]);
  });
});
