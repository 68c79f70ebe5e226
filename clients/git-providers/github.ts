import { createGitHubContext, type GitHubClientOptions } from './github-context';
import { githubStatusAndHookOperations } from './github-hooks';
import { githubPullRequestOperations, githubRepositoryOperations } from './github-repository';

/** A GitHub client for one token: every failure comes out as a ProviderError (errors.ts). */
export function createGitHubClient(options: GitHubClientOptions) {
  const context = createGitHubContext(options);
  const { octokit, call } = context;
  return {
    ...githubStatusAndHookOperations(context),
    ...githubRepositoryOperations(context),
    ...githubPullRequestOperations(context),
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
  };
}

/** The GitHub client's type, for injection. */
export type GitHubClient = ReturnType<typeof createGitHubClient>;
