/**
 * A fake GitHub REST API following the documented paths, auth, headers, status codes and payloads of what Kiln
 * uses: `GET /user` (with `X-OAuth-Scopes` for classic tokens), `GET /repos/{o}/{r}`, commit statuses and repository
 * webhooks, plus the `x-ratelimit-*` headers and the 403/429 rate-limit answers. Served at the root (github.com
 * style) and under `/api/v3` (GitHub Enterprise style).
 */
import { type FakeRequest, type FakeResponse, type FakeServer, route, startFakeServer } from './fake-provider-http';

export interface FakeGitHubToken {
  login: string;
  /** Classic scopes; null for a fine-grained token (no X-OAuth-Scopes header). */
  scopes: string[] | null;
  /** Fine-grained permissions on every repository, e.g. `{ statuses: 'write' }`. */
  permissions?: Record<string, 'read' | 'write'>;
}

export interface FakeGitHubStatus {
  id: number;
  sha: string;
  state: string;
  context: string;
  target_url: string | null;
  description: string | null;
}

export interface FakeGitHubHook {
  id: number;
  name: string;
  active: boolean;
  events: string[];
  config: { url: string; content_type: string; insecure_ssl: string; secret?: string };
  created_at: string;
  updated_at: string;
}

export interface FakeRepo {
  id: number;
  fullName: string;
  statuses: FakeGitHubStatus[];
  hooks: FakeGitHubHook[];
}

export interface FakeGitHub extends FakeServer {
  tokens: Map<string, FakeGitHubToken>;
  repos: Map<string, FakeRepo>;
  addToken(token: string, token_: FakeGitHubToken): void;
  addRepo(fullName: string): FakeRepo;
  /** Answers the next `times` matching requests with GitHub's primary rate-limit 403 (remaining 0 + reset). */
  exhaustRateLimit(path: RegExp, resetInSeconds: number, times?: number): void;
  /** Answers the next `times` matching requests with a secondary-limit 429 + Retry-After. */
  secondaryRateLimit(path: RegExp, retryAfterSeconds: number, times?: number): void;
}

const docs = 'https://docs.github.com/rest';

/** Starts the fake on 127.0.0.1:0. */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  const tokens = new Map<string, FakeGitHubToken>();
  const repos = new Map<string, FakeRepo>();
  let nextId = 1;
  const now = () => new Date().toISOString();

  const auth = (req: FakeRequest): FakeResponse | FakeGitHubToken => {
    const match = /^(?:token|Bearer) (.+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return { status: 401, body: { message: 'Requires authentication', documentation_url: docs } };
    return tokens.get(match[1]!) ?? { status: 401, body: { message: 'Bad credentials', documentation_url: docs } };
  };
  const can = (token: FakeGitHubToken, permission: 'statuses' | 'hooks' | 'contents', level: 'read' | 'write') => {
    if (token.scopes) {
      const classic = {
        statuses: ['repo', 'repo:status'],
        hooks: ['repo', 'admin:repo_hook', 'write:repo_hook'],
        contents: ['repo'],
      };
      return token.scopes.some((s) => classic[permission].includes(s));
    }
    const granted = token.permissions?.[permission === 'hooks' ? 'administration' : permission];
    return granted === 'write' || (level === 'read' && granted === 'read');
  };
  const withRepo =
    (
      permission: 'statuses' | 'hooks' | 'contents',
      level: 'read' | 'write',
      fn: (req: FakeRequest, repo: FakeRepo, token: FakeGitHubToken) => FakeResponse,
    ) =>
    (req: FakeRequest): FakeResponse => {
      const token = auth(req);
      if ('status' in token) return token;
      const repo = repos.get(`${req.params.owner}/${req.params.repo}`.toLowerCase());
      // GitHub answers 404, not 403, for private repositories the token cannot see.
      if (!repo) return { status: 404, body: { message: 'Not Found', documentation_url: docs } };
      if (!can(token, permission, level)) {
        return {
          status: 403,
          body: { message: 'Resource not accessible by personal access token', documentation_url: docs },
        };
      }
      return fn(req, repo, token);
    };
  const hookFrom = (body: Record<string, unknown>, existing?: FakeGitHubHook): FakeGitHubHook => {
    const config = (body.config ?? {}) as Record<string, string>;
    return {
      id: existing?.id ?? nextId++,
      name: 'web',
      active: (body.active as boolean | undefined) ?? existing?.active ?? true,
      events: (body.events as string[] | undefined) ?? existing?.events ?? ['push'],
      config: {
        url: config.url ?? existing?.config.url ?? '',
        content_type: config.content_type ?? existing?.config.content_type ?? 'form',
        insecure_ssl: String(config.insecure_ssl ?? existing?.config.insecure_ssl ?? '0'),
        secret: config.secret ?? existing?.config.secret,
      },
      created_at: existing?.created_at ?? now(),
      updated_at: now(),
    };
  };
  // GitHub masks secrets when listing hooks.
  const hookJson = (hook: FakeGitHubHook) => ({
    ...hook,
    type: 'Repository',
    config: { ...hook.config, secret: hook.config.secret ? '********' : undefined },
  });

  const routes = [
    route('GET', '/user', (req) => {
      const token = auth(req);
      if ('status' in token) return token;
      const headers: Record<string, string> = token.scopes
        ? { 'x-oauth-scopes': token.scopes.join(', '), 'x-accepted-oauth-scopes': '' }
        : {};
      return { status: 200, body: { login: token.login, id: 99, type: 'User' }, headers };
    }),
    route(
      'GET',
      '/repos/:owner/:repo',
      withRepo('contents', 'read', (_req, repo, token) => ({
        status: 200,
        body: {
          id: repo.id,
          full_name: repo.fullName,
          private: true,
          permissions: { admin: can(token, 'hooks', 'write'), push: can(token, 'contents', 'write'), pull: true },
        },
      })),
    ),
    route(
      'POST',
      '/repos/:owner/:repo/statuses/:sha',
      withRepo('statuses', 'write', (req, repo) => {
        const state = String(req.body.state ?? '');
        if (!['pending', 'success', 'failure', 'error'].includes(state)) {
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [
                { resource: 'Status', field: 'state', code: 'custom', message: `state is not included in the list` },
              ],
              documentation_url: docs,
            },
          };
        }
        const description = (req.body.description as string | undefined) ?? null;
        if (description && description.length > 140) {
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [
                {
                  resource: 'Status',
                  field: 'description',
                  code: 'custom',
                  message: 'description is too long (maximum is 140 characters)',
                },
              ],
            },
          };
        }
        const status: FakeGitHubStatus = {
          id: nextId++,
          sha: req.params.sha!,
          state,
          context: (req.body.context as string | undefined) ?? 'default',
          target_url: (req.body.target_url as string | undefined) ?? null,
          description,
        };
        repo.statuses.push(status);
        return {
          status: 201,
          body: {
            ...status,
            url: `/repos/${repo.fullName}/statuses/${status.sha}`,
            created_at: now(),
            updated_at: now(),
          },
        };
      }),
    ),
    route(
      'GET',
      '/repos/:owner/:repo/hooks',
      withRepo('hooks', 'read', (_req, repo) => ({ status: 200, body: repo.hooks.map(hookJson) })),
    ),
    route(
      'POST',
      '/repos/:owner/:repo/hooks',
      withRepo('hooks', 'write', (req, repo) => {
        const hook = hookFrom(req.body);
        if (repo.hooks.some((h) => h.config.url === hook.config.url && h.events.join() === hook.events.join())) {
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [{ resource: 'Hook', code: 'custom', message: 'Hook already exists on this repository' }],
            },
          };
        }
        repo.hooks.push(hook);
        return { status: 201, body: hookJson(hook) };
      }),
    ),
    route(
      'PATCH',
      '/repos/:owner/:repo/hooks/:hook_id',
      withRepo('hooks', 'write', (req, repo) => {
        const index = repo.hooks.findIndex((h) => String(h.id) === req.params.hook_id);
        if (index < 0) return { status: 404, body: { message: 'Not Found', documentation_url: docs } };
        repo.hooks[index] = hookFrom(req.body, repo.hooks[index]);
        return { status: 200, body: hookJson(repo.hooks[index]!) };
      }),
    ),
  ];
  const rateHeaders = () => ({
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
  });
  const server = await startFakeServer(['/api/v3'], routes, rateHeaders);
  return {
    ...server,
    tokens,
    repos,
    addToken(token, value) {
      tokens.set(token, value);
    },
    addRepo(fullName) {
      const repo: FakeRepo = { id: nextId++, fullName, statuses: [], hooks: [] };
      repos.set(fullName.toLowerCase(), repo);
      return repo;
    },
    exhaustRateLimit(path, resetInSeconds, times = 1) {
      server.failures.push({
        path,
        times,
        response: {
          status: 403,
          body: {
            message: 'API rate limit exceeded for user ID 99.',
            documentation_url: `${docs}/overview/rate-limits-for-the-rest-api`,
          },
          headers: {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
          },
        },
      });
    },
    secondaryRateLimit(path, retryAfterSeconds, times = 1) {
      server.failures.push({
        path,
        times,
        response: {
          status: 429,
          body: {
            message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url: docs,
          },
          headers: { 'retry-after': String(retryAfterSeconds) },
        },
      });
    },
  };
}
