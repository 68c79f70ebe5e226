import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithMember, createTestApi, expectStatus, type KilnClient, type TestApi } from '../support/api-client';
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
  const connection = { organizationId: member.organizationId, kind: 'gitlab' as const, baseUrl: gitlab.baseUrl };
  await expectStatus(api.client()['git-providers'].$post({ json: { ...connection, token: 'glpat-api' } }), 201);
  const json = {
    name: 'app',
    gitProvider: 'gitlab' as const,
    repoUrl: `${gitlab.baseUrl}/group/app.git`,
    projectId: '7',
  };
  serviceId = (await expectStatus(api.client(member.token).services.$post({ json }), 201)).id;
});
afterAll(async () => Promise.all([api.close(), gitlab.stop(), github.stop()]));

const pipelines = (token = member.token): KilnClient['services'][':id']['pipelines'] =>
  api.client(token).services[':id'].pipelines;
const list = (query: { perPage?: number; page?: number } = {}, token = member.token, id = serviceId) =>
  pipelines(token).$get({ param: { id }, query });
const pipeline = () => pipelines()[':pipelineId'];
const param = (pipelineId: number) => ({ id: serviceId, pipelineId: String(pipelineId) });

/** The pipeline list of a linked project; fails the test for an unlinked one. */
function linked<T extends { linked: boolean }>(page: T): Extract<T, { linked: true }> {
  if (!page.linked) expect.fail(`expected a linked project, got ${JSON.stringify(page)}`);
  return page as Extract<T, { linked: true }>;
}

describe('Pipelines API', () => {
  it('lists pipelines newest first, paginated, with short sha, status label and the GitLab link', async () => {
    const res = linked(await expectStatus(list({ perPage: 10, page: 1 }), 200));
    expect(res.pagination).toEqual({ page: 1, perPage: 10, total: 25, totalPages: 3, nextPage: 2 });
    expect(res.items[0]).toMatchObject({
      id: ids.failed,
      status: 'Failed',
      ref: 'release',
      shortSha: 'cccccccc',
      canRetry: true,
      canCancel: false,
    });
    expect(res.items[0]!.webUrl).toBe(`${gitlab.baseUrl}/group/app/-/pipelines/${ids.failed}`);
    const page3 = linked(await expectStatus(list({ perPage: 10, page: 3 }), 200));
    expect(page3.items).toHaveLength(5);
  });

  it('shows a pipeline with its jobs grouped by stage', async () => {
    const res = await expectStatus(pipeline().$get({ param: param(ids.failed!) }), 200);
    expect(res.stages.map((s) => [s.name, s.status, s.jobs.map((j) => j.name)])).toEqual([
      ['build', 'Success', ['compile']],
      ['test', 'Failed', ['unit', 'lint']],
    ]);
  });

  it('runs a pipeline on a branch, and explains an unknown ref', async () => {
    const runOn = (ref: string) => pipelines().$post({ param: { id: serviceId }, json: { ref } });
    const run = await expectStatus(runOn('release'), 201);
    expect(run).toMatchObject({ ref: 'release', status: 'Pending' });
    const bad = await expectStatus(runOn('nope'), 400);
    expect(bad.message).toContain('Reference not found');
    await expectStatus(runOn('a b'), 400);
  });

  it('cancels only running or pending pipelines and retries only failed or canceled ones', async () => {
    const retryRunning = await expectStatus(pipeline().retry.$post({ param: param(ids.running!) }), 409);
    expect(retryRunning.message).toBe(
      `Pipeline ${ids.running} is running; only failed or canceled pipelines can be retried.`,
    );
    const cancel = await pipeline().cancel.$post({ param: param(ids.running!) });
    expect(await cancel.json()).toMatchObject({ status: 'Canceled', canRetry: true });
    const cancelAgain = await expectStatus(pipeline().cancel.$post({ param: param(ids.running!) }), 409);
    expect(cancelAgain.message).toContain('only running or pending pipelines can be cancelled');
    const retry = await expectStatus(pipeline().retry.$post({ param: param(ids.failed!) }), 200);
    expect(retry.status).toBe('Pending');
  });

  it('returns a job log with numbered lines, ANSI kept and red error lines marked stderr', async () => {
    const jobs = api.client(member.token).services[':id'].jobs;
    const param = { id: serviceId, jobId: String(ids.failedJob) };
    const res = await expectStatus(jobs[':jobId'].log.$get({ param, query: {} }), 200);
    expect(res.job).toMatchObject({ name: 'unit', stage: 'test' });
    expect(res.lines).toEqual([
      { n: 1, text: '$ npm test', stream: 'stdout', section: null },
      { n: 2, text: `${ESC}[31;1mERROR: Job failed: exit code 1${ESC}[0;m`, stream: 'stderr', section: null },
    ]);
    expect(res.streamDetection).toBe('heuristic');
  });

  it('answers 502 with a how-to message when GitLab rejects the token, and 503 when it rate limits', async () => {
    gitlab.tokens.get('glpat-api')!.active = false;
    const rejected = await list();
    gitlab.tokens.get('glpat-api')!.active = true;
    expect((await expectStatus(rejected, 502)).message).toContain(
      'GitLab rejected the token (401) while listing pipelines: register a token with the api scope',
    );
    gitlab.rateLimit(/pipelines$/, 30);
    const limited = await expectStatus(list(), 503);
    expect(limited.message).toContain('retry after 30 s');
  });

  it('tells a service without a GitLab project how to connect one, and hides other organizations’ services', async () => {
    const json = { name: 'shop', gitProvider: 'github' as const, repoUrl: 'https://github.com/acme/shop.git' };
    const gh = await api.client(member.token).services.$post({ json });
    const ghId = ((await gh.json()) as { id: string }).id;
    const unlinked = await expectStatus(list({}, member.token, ghId), 200);
    expect(unlinked).toMatchObject({ linked: false, reason: 'not-gitlab' });
    if (unlinked.linked) expect.fail('a GitHub service has no linked GitLab project');
    expect(unlinked.message).toContain('set the service');
    await expectStatus(pipelines().$post({ param: { id: ghId }, json: { ref: 'main' } }), 409);
    const other = await createOrgWithMember(api, 'other-team');
    await expectStatus(list({}, other.token), 404);
  });
});

describe('Provider checks and one-click webhooks API', () => {
  const checks = (token?: string) => api.client(token)['provider-checks'];

  it('checks a token before registration and explains a missing scope', async () => {
    gitlab.addToken('glpat-read', ['read_api']);
    const check = (token: string) => checks().$post({ json: { kind: 'gitlab', baseUrl: gitlab.baseUrl, token } });
    const ok = await expectStatus(check('glpat-api'), 200);
    expect(ok).toMatchObject({ kind: 'gitlab', scopes: ['api'] });
    const weak = await expectStatus(check('glpat-read'), 422);
    expect(weak.message).toContain('Kiln needs api');
    await expectStatus(checks(member.token).$post({ json: { kind: 'gitlab', token: 'x' } }), 403);
  });

  it('re-checks a registered token without ever returning it', async () => {
    const query = { organizationId: member.organizationId };
    const providers = await expectStatus(api.client()['git-providers'].$get({ query }), 200);
    const stored = await expectStatus(checks()[':id'].$post({ param: { id: providers.items[0]!.id } }), 200);
    expect(stored).toMatchObject({ kind: 'gitlab', scopes: ['api'] });
    expect(JSON.stringify(stored)).not.toContain('glpat-api');
  });

  it('registers the webhook in the GitLab project once; a second click changes nothing', async () => {
    const webhook = api.client().services[':id'].webhook;
    const register = () => webhook.register.$post({ param: { id: serviceId }, json: {} });
    const first = await expectStatus(register(), 200);
    expect(first).toMatchObject({ outcome: 'created', url: 'https://kiln.example.com/api/v1/webhook/gitlab' });
    const second = await expectStatus(register(), 200);
    expect(second).toMatchObject({ outcome: 'unchanged', hookId: first.hookId });
    const info = await expectStatus(webhook.$get({ param: { id: serviceId } }), 200);
    expect(gitlab.projects.get(7)!.hooks).toEqual([
      expect.objectContaining({ url: info.urls[0]!.url, token: info.secretToken }),
    ]);
  });

  it('documents the routes in the OpenAPI document', async () => {
    // The OpenAPI document is not a typed route: read raw.
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
