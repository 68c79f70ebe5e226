import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConnection } from '../../clients/git-providers/connection';
import { ProviderError } from '../../clients/git-providers/errors';
import { checkProviderToken, TokenScopeError } from '../../clients/git-providers/token-check';
import { registerWebhook } from '../../clients/git-providers/webhook-registration';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github';
import { type FakeGitLab, startFakeGitLab } from '../support/fake-gitlab';

let gitlab: FakeGitLab;
let github: FakeGitHub;

beforeAll(async () => {
  [gitlab, github] = await Promise.all([startFakeGitLab(), startFakeGitHub()]);
  gitlab.addToken('glpat-api', ['api', 'read_repository'], { expiresAt: '2099-01-01' });
  gitlab.addToken('glpat-soon', ['api'], { expiresAt: '2026-12-01' });
  gitlab.addToken('glpat-read', ['read_api', 'read_repository']);
  gitlab.addToken('glpat-revoked', ['api'], { active: false });
  gitlab.addProject(7, 'group/app');
  github.addToken('ghp_repo', { login: 'kiln-bot', scopes: ['repo', 'read:org'] });
  github.addToken('ghp_status', { login: 'status-bot', scopes: ['repo:status', 'public_repo'] });
  github.addToken('ghp_user', { login: 'reader', scopes: ['read:user'] });
  github.addToken('github_pat_fine', {
    login: 'fine',
    scopes: null,
    permissions: { statuses: 'write', administration: 'write' },
  });
  github.addRepo('acme/shop');
});
afterAll(async () => Promise.all([gitlab.stop(), github.stop()]));

const now = new Date('2026-11-22T00:00:00Z');
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

describe('checking a provider token at registration', () => {
  it('accepts a GitLab token with the api scope and warns when it expires soon', async () => {
    const ok = await checkProviderToken({ kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-api' }, now);
    expect(ok).toMatchObject({ kind: 'gitlab', scopes: ['api', 'read_repository'], warnings: [] });
    const soon = await checkProviderToken(
      { kind: 'gitlab', baseUrl: `${gitlab.baseUrl}/api/v4/`, token: 'glpat-soon' },
      now,
    );
    expect(soon.warnings).toEqual(['The GitLab token expires on 2026-12-01; register a new one before then.']);
  });

  it('refuses GitLab tokens without api, revoked ones and wrong ones, saying what to do', async () => {
    const scope = await rejection(checkProviderToken({ kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-read' }));
    expect(scope).toBeInstanceOf(TokenScopeError);
    expect(scope?.message).toBe(
      'The GitLab token has scopes read_api, read_repository but Kiln needs api (pipelines, commit statuses, webhooks and cloning): create a token with the api scope.',
    );
    const revoked = await rejection(
      checkProviderToken({ kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-revoked' }),
    );
    expect(revoked?.message).toContain('revoked or expired');
    const wrong = await rejection(checkProviderToken({ kind: 'gitlab', baseUrl: gitlab.baseUrl, token: 'glpat-typo' }));
    expect(wrong).toBeInstanceOf(ProviderError);
    expect(wrong?.message).toContain('GitLab rejected the token (401)');
  });

  it('refuses an unreachable provider with the address it tried', async () => {
    const down = await rejection(checkProviderToken({ kind: 'gitlab', baseUrl: 'http://127.0.0.1:9', token: 'x' }));
    expect(down?.message).toMatch(/^Kiln cannot reach GitLab at http:\/\/127\.0\.0\.1:9 while checking the token/);
  });

  it('checks GitHub classic scopes and explains fine-grained tokens', async () => {
    const repo = await checkProviderToken({ kind: 'github', baseUrl: github.baseUrl, token: 'ghp_repo' });
    expect(repo).toMatchObject({ identity: 'kiln-bot', tokenType: 'github-classic', warnings: [] });
    const status = await checkProviderToken({ kind: 'github', baseUrl: github.baseUrl, token: 'ghp_status' });
    expect(status.warnings).toEqual([
      'Without the repo scope Kiln can only clone public repositories.',
      'Without repo or admin:repo_hook, one-click webhook registration is unavailable; paste the webhook by hand.',
    ]);
    const fine = await checkProviderToken({ kind: 'github', baseUrl: github.baseUrl, token: 'github_pat_fine' });
    expect(fine).toMatchObject({ tokenType: 'github-fine-grained', scopes: null });
    const none = await rejection(checkProviderToken({ kind: 'github', baseUrl: github.baseUrl, token: 'ghp_user' }));
    expect(none?.message).toContain('Kiln needs repo (or repo:status)');
  });
});

describe('one-click webhook registration', () => {
  const url = 'https://kiln.example.com/api/v1/webhook/gitlab';

  it('creates the GitLab project hook once; a second click changes nothing; force re-sends the secret', async () => {
    const connection: ProviderConnection = {
      kind: 'gitlab',
      baseUrl: gitlab.baseUrl,
      token: 'glpat-api',
      project: '7',
      projectPath: 'group/app',
      providerApi: true,
    };
    const first = await registerWebhook({ connection, url, secret: 's1' });
    expect(first).toMatchObject({ outcome: 'created', events: ['push', 'tag_push', 'merge_requests'] });
    const requestsBefore = gitlab.requests.length;
    const second = await registerWebhook({ connection, url, secret: 's1' });
    expect(second).toEqual({ ...first, outcome: 'unchanged' });
    expect(gitlab.requests.slice(requestsBefore).map((r) => r.method)).toEqual(['GET']);
    const hooks = gitlab.projects.get(7)!.hooks;
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      url,
      token: 's1',
      push_events: true,
      tag_push_events: true,
      merge_requests_events: true,
    });
    await registerWebhook({ connection, url, secret: 's2', force: true });
    expect(gitlab.projects.get(7)!.hooks).toMatchObject([{ token: 's2' }]);
  });

  it('creates the GitHub repository hook once and tells a missing scope apart', async () => {
    const connection: ProviderConnection = {
      kind: 'github',
      baseUrl: github.baseUrl,
      token: 'ghp_repo',
      project: 'acme/shop',
      projectPath: 'acme/shop',
      providerApi: true,
    };
    const ghUrl = url.replace('gitlab', 'github');
    const created = await registerWebhook({ connection, url: ghUrl, secret: 's' });
    expect(created).toMatchObject({ outcome: 'created', events: ['push', 'pull_request'] });
    expect((await registerWebhook({ connection, url: ghUrl, secret: 's' })).outcome).toBe('unchanged');
    expect(github.repos.get('acme/shop')!.hooks).toMatchObject([
      { events: ['push', 'pull_request'], config: { url: ghUrl, content_type: 'json', secret: 's' } },
    ]);
    // A hook registered before pull requests were built (push only) is brought up to date by the next click.
    github.repos.get('acme/shop')!.hooks[0]!.events = ['push'];
    expect((await registerWebhook({ connection, url: ghUrl, secret: 's' })).outcome).toBe('updated');
    expect(github.repos.get('acme/shop')!.hooks).toMatchObject([{ events: ['push', 'pull_request'] }]);
    const denied = await rejection(
      registerWebhook({ connection: { ...connection, token: 'ghp_status' }, url: ghUrl, secret: 's' }),
    );
    expect(denied).toMatchObject({ kind: 'forbidden', status: 403 });
  });
});
