/**
 * A fake GitHub REST API following the documented paths, auth, headers, status codes and payloads of what Kiln
 * uses: `GET /user` (with `X-OAuth-Scopes` for classic tokens), `GET /repos/{o}/{r}`, commit statuses and repository
 * webhooks, plus the `x-ratelimit-*` headers and the 403/429 rate-limit answers. Served at the root (github.com
 * style) and under `/api/v3` (GitHub Enterprise style).
 */
import { type FakeRequest, type FakeResponse, type FakeServer, startFakeServer } from './fake-provider-http';
import { FakeContentStore, githubChangeRequestRoutes } from './fake-change-request-routes';
import { docs, githubRoutes } from './fake-github-routes';

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
  /** Branches, files, commits and pull requests per `owner/repo` (lower-cased). */
  content: FakeContentStore;
  addToken(token: string, token_: FakeGitHubToken): void;
  addRepo(fullName: string): FakeRepo;
  /** Answers the next `times` matching requests with GitHub's primary rate-limit 403 (remaining 0 + reset). */
  exhaustRateLimit(path: RegExp, resetInSeconds: number, times?: number): void;
  /** Answers the next `times` matching requests with a secondary-limit 429 + Retry-After. */
  secondaryRateLimit(path: RegExp, retryAfterSeconds: number, times?: number): void;
}

/** Starts the fake on 127.0.0.1:0. */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  const tokens = new Map<string, FakeGitHubToken>();
  const repos = new Map<string, FakeRepo>();
  let lastId = 1;
  const nextId = () => lastId++;
  const content = new FakeContentStore();
  // Contents and pull requests need write access to a repository the token can see (404 otherwise, like GitHub).
  const canWrite = (req: FakeRequest): FakeResponse | null => {
    const match = /^(?:token|Bearer) (.+)$/i.exec(req.headers.authorization ?? '');
    const token = match ? tokens.get(match[1]!) : undefined;
    if (!token) return { status: 401, body: { message: 'Bad credentials', documentation_url: docs } };
    if (!repos.has(`${req.params.owner}/${req.params.repo}`.toLowerCase()))
      return { status: 404, body: { message: 'Not Found', documentation_url: docs } };
    const ok = token.scopes ? token.scopes.includes('repo') : token.permissions?.contents === 'write';
    return ok
      ? null
      : { status: 403, body: { message: 'Resource not accessible by personal access token', documentation_url: docs } };
  };
  const routes = [...githubRoutes({ tokens, repos, nextId }), ...githubChangeRequestRoutes(content, canWrite)];
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
    content,
    addToken(token, value) {
      tokens.set(token, value);
    },
    addRepo(fullName) {
      const repo: FakeRepo = { id: nextId(), fullName, statuses: [], hooks: [] };
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
