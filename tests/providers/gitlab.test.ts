import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../clients/git-providers/errors';
import { createGitLabClient } from '../../clients/git-providers/gitlab';
import { groupJobsByStage, pipelineView } from '../../clients/git-providers/pipeline-view';
import { withProviderRetry } from '../../clients/git-providers/retry';
import { type FakeGitLab, startFakeGitLab } from '../support/fake-gitlab';

const sha = 'bcbb5ec396a2c0f828686f14fac9b80b780504f2';
let gitlab: FakeGitLab;

beforeAll(async () => {
  gitlab = await startFakeGitLab();
  gitlab.addToken('glpat-api', ['api', 'read_repository']);
  gitlab.addToken('glpat-read', ['read_api']);
  gitlab.addProject(7, 'group/app', ['main', 'v1.0.0']);
  for (let i = 0; i < 25; i += 1) gitlab.addPipeline(7, { ref: 'main', sha, status: i % 2 ? 'success' : 'failed' });
});
afterAll(() => gitlab.stop());

const client = (token = 'glpat-api', baseUrl = gitlab.baseUrl) => createGitLabClient({ baseUrl, token });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('GitLab client against the fake GitLab API', () => {
  it('pages pipelines with the x-* headers GitLab sends', async () => {
    const first = await client().listPipelines('group/app', { page: 1, perPage: 10 });
    expect(first.items).toHaveLength(10);
    expect(first.pagination).toEqual({ page: 1, perPage: 10, total: 25, totalPages: 3, nextPage: 2 });
    const last = await client().listPipelines('7', { page: 3, perPage: 10 });
    expect(last.items).toHaveLength(5);
    expect(last.pagination.nextPage).toBeNull();
    expect(gitlab.requests.at(-1)?.path).toMatch(/^\/projects\/7\/pipelines\?.*page=3/);
  });

  it('sends the token as PRIVATE-TOKEN and an encoded project path', async () => {
    await client().getPipeline('group/app', gitlab.projects.get(7)!.pipelines[0]!.id);
    const last = gitlab.requests.at(-1)!;
    expect(last.privateToken).toBe('glpat-api');
  });

  it('reads every job of a pipeline across pages and groups them by stage in order', async () => {
    const stages = ['build', 'test', 'deploy'];
    const jobs = Array.from({ length: 120 }, (_, i) => ({
      name: `job-${i}`,
      stage: stages[Math.floor(i / 40)]!,
      status: 'success',
    }));
    jobs[50]!.status = 'failed';
    const pipeline = gitlab.addPipeline(7, { ref: 'main', sha, status: 'failed', jobs });
    const all = await client().listPipelineJobs('7', pipeline.id);
    expect(all).toHaveLength(120);
    const grouped = groupJobsByStage(all);
    expect(grouped.map((s) => [s.name, s.status, s.jobs.length])).toEqual([
      ['build', 'Success', 40],
      ['test', 'Failed', 40],
      ['deploy', 'Success', 40],
    ]);
  });

  it('starts, cancels and retries pipelines', async () => {
    const started = pipelineView(await client().createPipeline('7', 'v1.0.0', [{ key: 'DEPLOY', value: 'no' }]));
    expect(started).toMatchObject({ ref: 'v1.0.0', status: 'Pending', canCancel: true, canRetry: false });
    const canceled = pipelineView(await client().cancelPipeline('7', started.id));
    expect(canceled).toMatchObject({ status: 'Canceled', canRetry: true, canCancel: false });
    const retried = pipelineView(await client().retryPipeline('7', started.id));
    expect(retried.status).toBe('Pending');
  });

  it('explains an unknown ref, a bad token, a missing scope and a missing project', async () => {
    const badRef = await failure(client().createPipeline('7', 'nope'));
    expect(badRef).toMatchObject({ kind: 'invalid', status: 400 });
    expect(badRef.message).toContain('Reference not found');

    const unauthorized = await failure(client('glpat-wrong').listPipelines('7', { page: 1, perPage: 5 }));
    expect(unauthorized.message).toBe(
      'GitLab rejected the token (401) while listing pipelines: register a token with the api scope in organization settings.',
    );
    const forbidden = await failure(client('glpat-read').createPipeline('7', 'main'));
    expect(forbidden).toMatchObject({ kind: 'forbidden', status: 403 });
    expect(forbidden.message).toMatch(/lacks a needed scope.*group\/app|lacks a needed scope/);
    const missing = await failure(client().listPipelines('group/gone', { page: 1, perPage: 5 }));
    expect(missing.message).toContain('GitLab project group/gone not found (404)');
  });

  it('reports an unreachable GitLab without leaking the token', async () => {
    const error = await failure(
      client('glpat-secret', 'http://127.0.0.1:9').listPipelines('7', { page: 1, perPage: 5 }),
    );
    expect(error).toMatchObject({ kind: 'unavailable', status: 0, transient: true });
    expect(error.message).toContain('Kiln cannot reach GitLab at http://127.0.0.1:9');
    expect(error.message).not.toContain('glpat-secret');
  });

  it('turns 429 into a rate-limit error with Retry-After, and retries after waiting that long', async () => {
    gitlab.rateLimit(/\/pipelines$/, 1, 1, 'GET');
    const limited = await failure(client().listPipelines('7', { page: 1, perPage: 5 }));
    expect(limited).toMatchObject({ kind: 'rateLimited', status: 429, retryAfterSeconds: 1 });
    expect(limited.message).toContain('retry after 1 s');

    gitlab.rateLimit(/\/pipelines$/, 1, 1, 'GET');
    const started = Date.now();
    const page = await withProviderRetry(() => client().listPipelines('7', { page: 1, perPage: 5 }));
    expect(page.items).toHaveLength(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('posts commit statuses and treats a repeated state as unchanged, like GitLab 400 "cannot transition"', async () => {
    const input = {
      state: 'pending' as const,
      name: 'kiln/build',
      targetUrl: 'https://kiln/#/builds/1',
      description: 'Queued',
      ref: 'main',
    };
    expect(await client().setCommitStatus('7', 'abc123', input)).toBe('posted');
    expect(await client().setCommitStatus('7', 'abc123', input)).toBe('unchanged');
    expect(await client().setCommitStatus('7', 'abc123', { ...input, state: 'running' })).toBe('posted');
    const statuses = gitlab.projects.get(7)!.statuses.filter((s) => s.sha === 'abc123');
    expect(statuses.map((s) => s.status)).toEqual(['pending', 'running']);
  });

  it('gives up on a GitLab that does not answer within the timeout', async () => {
    gitlab.failures.push({ path: /pipelines$/, times: 1, response: { status: 200, body: [], delayMs: 2_000 } });
    const slow = createGitLabClient({ baseUrl: gitlab.baseUrl, token: 'glpat-api', timeoutMs: 200 });
    const error = await failure(slow.listPipelines('7', { page: 1, perPage: 5 }));
    expect(error).toMatchObject({ kind: 'unavailable', status: 0 });
    expect(error.message).toContain('the request timed out');
  });

  it('does not start a retry that would overrun the retry budget', async () => {
    gitlab.rateLimit(/pipelines$/, 1, 1, 'GET');
    const started = Date.now();
    const policy = { attempts: 4, baseDelayMs: 10, maxDelayMs: 5_000, budgetMs: 500 };
    const error = await failure(withProviderRetry(() => client().listPipelines('7', { page: 1, perPage: 5 }), policy));
    expect(error.kind).toBe('rateLimited');
    expect(Date.now() - started).toBeLessThan(500);
  });
});
