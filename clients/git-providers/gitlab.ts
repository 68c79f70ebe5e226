import { createGitLabContext, type GitLabClientOptions } from './gitlab-context';
import { gitlabStatusAndHookOperations } from './gitlab-hooks';
import { gitlabJobOperations, gitlabPipelineOperations } from './gitlab-pipelines';
import { gitlabMergeRequestOperations, gitlabRepositoryOperations } from './gitlab-repository';

type Loose = Record<string, unknown>;

/** A GitLab client for one token: every failure comes out as a ProviderError (errors.ts). */
export function createGitLabClient(options: GitLabClientOptions) {
  const context = createGitLabContext(options);
  const { api, call } = context;
  return {
    ...gitlabPipelineOperations(context),
    ...gitlabJobOperations(context),
    ...gitlabStatusAndHookOperations(context),
    ...gitlabRepositoryOperations(context),
    ...gitlabMergeRequestOperations(context),
    /** The token's own record (`GET /personal_access_tokens/self`): scopes, expiry, active. */
    tokenInfo: () =>
      call('checking the token', undefined, async () => (await api.PersonalAccessTokens.show()) as unknown as Loose),
    currentUser: () =>
      call('reading the token user', undefined, async () => (await api.Users.showCurrentUser()) as unknown as Loose),
  };
}

/** The GitLab client's type, for injection. */
export type GitLabClient = ReturnType<typeof createGitLabClient>;
