import { Octokit } from '@octokit/rest';
import { translateGitHubError } from './errors';

/** Where and as whom to call GitHub. */
export interface GitHubClientOptions {
  /** API base: `https://api.github.com`, a GitHub Enterprise `https://ghe.example.com/api/v3`, or the web address. */
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

/** A commit status to post: GitHub's own state names. */
export interface GitHubStatusInput {
  state: 'pending' | 'success' | 'failure' | 'error';
  context: string;
  targetUrl: string;
  description: string;
}

/** A repository webhook's settings Kiln manages. */
export interface GitHubHookInput {
  url: string;
  secret: string;
  events: string[];
  insecureSsl: boolean;
}

/** A repository webhook as GitHub lists it (the secret comes back masked). */
export interface GitHubHook {
  id: number;
  active: boolean;
  events: string[];
  config: { url?: string; content_type?: string; insecure_ssl?: string | number };
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

/** A GitHub client for one token: every failure comes out as a ProviderError (errors.ts). */
export function createGitHubClient({ baseUrl, token, timeoutMs = 30_000 }: GitHubClientOptions) {
  const apiUrl = githubApiUrl(baseUrl);
  const octokit = new Octokit({
    auth: token,
    baseUrl: apiUrl,
    userAgent: 'kiln',
    log: silent,
  });
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

  return {
    /** `POST /repos/{owner}/{repo}/statuses/{sha}`. */
    setCommitStatus: (repoPath: string, sha: string, input: GitHubStatusInput) =>
      call(`reporting commit status ${input.context}`, repoPath, async () => {
        await octokit.rest.repos.createCommitStatus({
          ...splitRepo(repoPath),
          sha,
          state: input.state,
          context: input.context,
          target_url: input.targetUrl,
          // GitHub rejects descriptions over 140 characters.
          description: input.description.slice(0, 140),
        });
      }),
    listHooks: (repoPath: string) =>
      call('listing webhooks', repoPath, async () => {
        const hooks = await octokit.paginate(octokit.rest.repos.listWebhooks, {
          ...splitRepo(repoPath),
          per_page: 100,
        });
        return hooks as unknown as GitHubHook[];
      }),
    createHook: (repoPath: string, input: GitHubHookInput) =>
      call('adding the Kiln webhook', repoPath, async () => {
        const { data } = await octokit.rest.repos.createWebhook({ ...splitRepo(repoPath), ...hookBody(input) });
        return data as unknown as GitHubHook;
      }),
    updateHook: (repoPath: string, id: number, input: GitHubHookInput) =>
      call('updating the Kiln webhook', repoPath, async () => {
        const { data } = await octokit.rest.repos.updateWebhook({
          ...splitRepo(repoPath),
          hook_id: id,
          ...hookBody(input),
        });
        return data as unknown as GitHubHook;
      }),
    /**
     * The token's user and classic scopes (`X-OAuth-Scopes`); `scopes` is null for fine-grained tokens, which
     * send no such header.
     */
    tokenInfo: () =>
      call('checking the token', undefined, async () => {
        const { data, headers } = await octokit.rest.users.getAuthenticated();
        const header = headers['x-oauth-scopes'];
        const scopes =
          typeof header === 'string'
            ? header
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : null;
        return { login: data.login, scopes };
      }),
    /** The repository's default branch. */
    defaultBranch: (repoPath: string) =>
      call(
        'reading the repository',
        repoPath,
        async () => (await octokit.rest.repos.get(splitRepo(repoPath))).data.default_branch,
      ),
    /** Open pull requests from `branch` of this repository (`GET /repos/{o}/{r}/pulls?head=owner:branch`). */
    openPullRequests: (repoPath: string, branch: string) =>
      call('looking for an open pull request', repoPath, async () => {
        const { owner, repo } = splitRepo(repoPath);
        const { data } = await octokit.rest.pulls.list({
          owner,
          repo,
          state: 'open',
          head: `${owner}:${branch}`,
          per_page: 10,
        });
        return data.map((pull) => ({ number: pull.number, url: pull.html_url }));
      }),
    /** The commit sha a branch points at, or null when it does not exist. */
    branchSha: (repoPath: string, branch: string) =>
      call(`reading branch ${branch}`, repoPath, async () => {
        try {
          return (await octokit.rest.git.getRef({ ...splitRepo(repoPath), ref: `heads/${branch}` })).data.object.sha;
        } catch (error) {
          if ((error as { status?: number }).status === 404) return null;
          throw error;
        }
      }),
    createBranch: (repoPath: string, branch: string, sha: string) =>
      call(`creating branch ${branch}`, repoPath, async () => {
        await octokit.rest.git.createRef({ ...splitRepo(repoPath), ref: `refs/heads/${branch}`, sha });
      }),
    /** The blob sha of `path` on `branch` (needed to update it), or null when the file does not exist. */
    fileSha: (repoPath: string, path: string, branch: string) =>
      call(`reading ${path}`, repoPath, async () => {
        try {
          const { data } = await octokit.rest.repos.getContent({ ...splitRepo(repoPath), path, ref: branch });
          return Array.isArray(data) ? null : data.sha;
        } catch (error) {
          if ((error as { status?: number }).status === 404) return null;
          throw error;
        }
      }),
    /** `PUT /repos/{o}/{r}/contents/{path}`: one commit creating or updating one file. */
    putFile: (
      repoPath: string,
      input: { path: string; content: string; branch: string; message: string; sha: string | null },
    ) =>
      call(`committing ${input.path}`, repoPath, async () => {
        await octokit.rest.repos.createOrUpdateFileContents({
          ...splitRepo(repoPath),
          path: input.path,
          branch: input.branch,
          message: input.message,
          content: Buffer.from(input.content, 'utf8').toString('base64'),
          ...(input.sha ? { sha: input.sha } : {}),
        });
      }),
    createPullRequest: (repoPath: string, input: { head: string; base: string; title: string; body: string }) =>
      call('opening a pull request', repoPath, async () => {
        const { data } = await octokit.rest.pulls.create({ ...splitRepo(repoPath), ...input });
        return { number: data.number, url: data.html_url };
      }),
    /** The caller's permissions on one repository (works for fine-grained tokens too). */
    repositoryPermissions: (repoPath: string) =>
      call('reading the repository', repoPath, async () => {
        const { data } = await octokit.rest.repos.get(splitRepo(repoPath));
        return data.permissions ?? null;
      }),
  };
}

/** The GitHub client's type, for injection. */
export type GitHubClient = ReturnType<typeof createGitHubClient>;

function hookBody(input: GitHubHookInput) {
  return {
    active: true,
    events: input.events,
    config: { url: input.url, content_type: 'json', secret: input.secret, insecure_ssl: input.insecureSsl ? '1' : '0' },
  };
}
