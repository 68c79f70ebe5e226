import { Octokit } from '@octokit/rest';
import { translateGitHubError } from './errors';

/** Where and as whom to call GitHub. */
export interface GitHubClientOptions {
  /** API base: `https://api.github.com`, a GitHub Enterprise `https://ghe.example.com/api/v3`, or the web address. */
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

/** What every group of GitHub operations works with: Octokit and a wrapper naming the action in any failure. */
export interface GitHubContext {
  octokit: Octokit;
  /** Runs one request; any failure comes out as a ProviderError (errors.ts) naming `action` and `project`. */
  call: <T>(action: string, project: string | undefined, run: () => Promise<T>) => Promise<T>;
}

/** The REST base URL for a GitHub address: github.com maps to api.github.com, Enterprise to `/api/v3`. */
export function githubApiUrl(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  const url = new URL(trimmed);
  if (url.hostname === 'github.com' || url.hostname === 'www.github.com') return 'https://api.github.com';
  if (url.hostname.startsWith('api.') || /\/api\/v3$/.test(url.pathname)) return trimmed;
  return `${trimmed}/api/v3`;
}

/** Splits `owner/repo`. */
export function splitRepo(path: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = path.split('/');
  if (!owner || !repo || rest.length > 0) throw new Error(`"${path}" is not an owner/repo GitHub repository path.`);
  return { owner, repo };
}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Octokit for one token, each request with its own timeout, and its error-translating `call`. */
export function createGitHubContext({ baseUrl, token, timeoutMs = 30_000 }: GitHubClientOptions): GitHubContext {
  const apiUrl = githubApiUrl(baseUrl);
  const octokit = new Octokit({ auth: token, baseUrl: apiUrl, userAgent: 'kiln', log: silent });
  // @octokit/request has no timeout option any more; each request gets its own abort signal instead.
  octokit.hook.before('request', (options) => {
    options.request = { ...options.request, signal: AbortSignal.timeout(timeoutMs) };
  });
  const call = async <T>(action: string, project: string | undefined, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw translateGitHubError(error, { action, project, baseUrl: apiUrl });
    }
  };
  return { octokit, call };
}

/** The request's answer, or null when GitHub answered 404 (anything else is rethrown). */
export async function nullIfNotFound<T>(request: () => Promise<T>): Promise<T | null> {
  try {
    return await request();
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}
