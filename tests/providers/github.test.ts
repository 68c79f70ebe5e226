import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../clients/git-providers/errors';
import { createGitHubClient } from '../../clients/git-providers/github';
import { githubApiUrl } from '../../clients/git-providers/github-context';
import { withProviderRetry } from '../../clients/git-providers/retry';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github';

let github: FakeGitHub;

beforeAll(async () => {
  github = await startFakeGitHub();
  github.addToken('ghp_repo', { login: 'kiln-bot', scopes: ['repo'] });
  github.addToken('ghp_user', { login: 'reader', scopes: ['read:user'] });
  github.addRepo('acme/shop');
});
afterAll(() => github.stop());

const client = (token = 'ghp_repo', baseUrl = github.baseUrl) => createGitHubClient({ baseUrl, token });
const status = {
  state: 'pending' as const,
  context: 'kiln/build',
  targetUrl: 'https://kiln/#/builds/1',
  description: 'Queued',
};

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('GitHub client against the fake GitHub API', () => {
  it('maps GitHub addresses to their REST base', () => {
    expect(githubApiUrl('https://github.com')).toBe('https://api.github.com');
    expect(githubApiUrl('https://api.github.com/')).toBe('https://api.github.com');
    expect(githubApiUrl('https://ghe.example.com')).toBe('https://ghe.example.com/api/v3');
    expect(githubApiUrl('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com/api/v3');
  });

  it('posts a commit status with "Authorization: token" and trims long descriptions to 140 characters', async () => {
    await client().setCommitStatus('acme/shop', 'abc', { ...status, description: 'x'.repeat(300) });
    const posted = github.repos.get('acme/shop')!.statuses.at(-1)!;
    expect(posted).toMatchObject({
      sha: 'abc',
      state: 'pending',
      context: 'kiln/build',
      target_url: 'https://kiln/#/builds/1',
    });
    expect(posted.description).toHaveLength(140);
    expect(github.requests.at(-1)?.authorization).toMatch(/^token ghp_repo$/);
  });

  it('reads classic scopes from X-OAuth-Scopes', async () => {
    expect(await client().tokenInfo()).toEqual({ login: 'kiln-bot', scopes: ['repo'] });
  });

  it('explains 401, 403 (scope), 404 (repository) and unreachable servers', async () => {
    const bad = await failure(client('ghp_nope').setCommitStatus('acme/shop', 'abc', status));
    expect(bad.message).toMatch(/^GitHub rejected the token \(401\)/);
    const scope = await failure(client('ghp_user').setCommitStatus('acme/shop', 'abc', status));
    expect(scope).toMatchObject({ kind: 'forbidden', status: 403 });
    expect(scope.message).toContain('lacks a needed scope or access to acme/shop');
    const missing = await failure(client().setCommitStatus('acme/gone', 'abc', status));
    expect(missing.message).toContain('GitHub project acme/gone not found (404)');
    const down = await failure(client('ghp_repo', 'http://127.0.0.1:9/api/v3').tokenInfo());
    expect(down).toMatchObject({ kind: 'unavailable', status: 0 });
  });

  it('recognises the primary rate limit (403 + x-ratelimit-remaining: 0) and waits until the reset', async () => {
    github.exhaustRateLimit(/statuses/, 1);
    const limited = await failure(client().setCommitStatus('acme/shop', 'def', status));
    expect(limited.kind).toBe('rateLimited');
    expect(limited.retryAfterSeconds).toBeLessThanOrEqual(1);
    expect(limited.message).toMatch(/GitHub rate limited Kiln \(403\).*retry after \d s/);

    github.exhaustRateLimit(/statuses/, 1);
    await withProviderRetry(() => client().setCommitStatus('acme/shop', 'def', status));
    expect(github.repos.get('acme/shop')!.statuses.filter((s) => s.sha === 'def')).toHaveLength(1);
  });

  it('retries a secondary rate limit (429 + Retry-After) and gives up when the wait is too long', async () => {
    github.secondaryRateLimit(/statuses/, 120);
    const error = await withProviderRetry(() => client().setCommitStatus('acme/shop', 'ghi', status)).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'rateLimited', status: 429, retryAfterSeconds: 120 });
    expect((error as Error).message).toContain('retry after 120 s');
  });

  it('gives up on a GitHub that does not answer within the timeout', async () => {
    github.failures.push({ path: /^\/user$/, times: 1, response: { status: 200, body: {}, delayMs: 2_000 } });
    const started = Date.now();
    const error = await failure(
      createGitHubClient({ baseUrl: github.baseUrl, token: 'ghp_repo', timeoutMs: 200 }).tokenInfo(),
    );
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toMatchObject({ kind: 'unavailable', status: 0 });
    expect(error.message).toContain('the request timed out');
  });
});
