import { splitRepo, type GitHubContext } from './github-context';

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

/** What Kiln writes back to a repository: commit statuses and its webhook. */
export function githubStatusAndHookOperations({ octokit, call }: GitHubContext) {
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
  };
}

function hookBody(input: GitHubHookInput) {
  return {
    active: true,
    events: input.events,
    config: { url: input.url, content_type: 'json', secret: input.secret, insecure_ssl: input.insecureSsl ? '1' : '0' },
  };
}
