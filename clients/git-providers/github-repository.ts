import { nullIfNotFound, splitRepo, type GitHubContext } from './github-context';

/** One file to commit through the contents API; `sha` is the blob being replaced, null for a new file. */
export interface GitHubPutFileInput {
  path: string;
  content: string;
  branch: string;
  message: string;
  sha: string | null;
}

/** A pull request to open. */
export interface GitHubPullRequestInput {
  head: string;
  base: string;
  title: string;
  body: string;
}

/** The repository itself, its branches and its files. */
export function githubRepositoryOperations({ octokit, call }: GitHubContext) {
  return {
    /** The repository's default branch. */
    defaultBranch: (repoPath: string) =>
      call('reading the repository', repoPath, async () => {
        const { data } = await octokit.rest.repos.get(splitRepo(repoPath));
        return data.default_branch;
      }),
    /** The caller's permissions on one repository (works for fine-grained tokens too). */
    repositoryPermissions: (repoPath: string) =>
      call('reading the repository', repoPath, async () => {
        const { data } = await octokit.rest.repos.get(splitRepo(repoPath));
        return data.permissions ?? null;
      }),
    /** The commit sha a branch points at, or null when it does not exist. */
    branchSha: (repoPath: string, branch: string) =>
      call(`reading branch ${branch}`, repoPath, () =>
        nullIfNotFound(async () => {
          const { data } = await octokit.rest.git.getRef({ ...splitRepo(repoPath), ref: `heads/${branch}` });
          return data.object.sha;
        }),
      ),
    createBranch: (repoPath: string, branch: string, sha: string) =>
      call(`creating branch ${branch}`, repoPath, async () => {
        await octokit.rest.git.createRef({ ...splitRepo(repoPath), ref: `refs/heads/${branch}`, sha });
      }),
    /** The blob sha of `path` on `branch` (needed to update it), or null when the file does not exist. */
    fileSha: (repoPath: string, path: string, branch: string) =>
      call(`reading ${path}`, repoPath, () =>
        nullIfNotFound(async () => {
          const { data } = await octokit.rest.repos.getContent({ ...splitRepo(repoPath), path, ref: branch });
          return Array.isArray(data) ? null : data.sha;
        }),
      ),
    /** `PUT /repos/{o}/{r}/contents/{path}`: one commit creating or updating one file. */
    putFile: (repoPath: string, input: GitHubPutFileInput) =>
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
  };
}

/** Finding and opening pull requests. */
export function githubPullRequestOperations({ octokit, call }: GitHubContext) {
  return {
    /** Open pull requests from `branch` of this repository (`GET /repos/{o}/{r}/pulls?head=owner:branch`). */
    openPullRequests: (repoPath: string, branch: string) =>
      call('looking for an open pull request', repoPath, async () => {
        const { owner, repo } = splitRepo(repoPath);
        const query = { owner, repo, state: 'open' as const, head: `${owner}:${branch}`, per_page: 10 };
        const { data } = await octokit.rest.pulls.list(query);
        return data.map((pull) => ({ number: pull.number, url: pull.html_url }));
      }),
    createPullRequest: (repoPath: string, input: GitHubPullRequestInput) =>
      call('opening a pull request', repoPath, async () => {
        const { data } = await octokit.rest.pulls.create({ ...splitRepo(repoPath), ...input });
        return { number: data.number, url: data.html_url };
      }),
  };
}
