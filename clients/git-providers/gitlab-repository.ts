import { existsUnlessNotFound, type GitLabContext } from './gitlab-context';

/** A file the Build Wizard commits; `exists` says whether the commit updates or creates it. */
export interface GitLabCommitFile {
  path: string;
  content: string;
  exists: boolean;
}

/** A merge request to open. */
export interface GitLabMergeRequestInput {
  sourceBranch: string;
  targetBranch: string;
  title: string;
  description: string;
}

/** A merge request as Kiln shows it. */
export interface GitLabMergeRequest {
  iid: number;
  web_url: string;
}

/** The repository's branches and files, and one commit of several files. */
export function gitlabRepositoryOperations({ api, call }: GitLabContext) {
  return {
    /** The project's default branch (`GET /projects/:id`). */
    defaultBranch: (project: string) =>
      call('reading the project', project, async () => {
        const data = (await api.Projects.show(project)) as unknown as { default_branch?: string };
        return data.default_branch ?? 'main';
      }),
    /** True when the branch exists (`GET /projects/:id/repository/branches/:branch`). */
    branchExists: (project: string, branch: string) =>
      call(`reading branch ${branch}`, project, () => existsUnlessNotFound(api.Branches.show(project, branch))),
    createBranch: (project: string, branch: string, ref: string) =>
      call(`creating branch ${branch}`, project, async () => {
        await api.Branches.create(project, branch, ref);
      }),
    /** True when `path` exists on `ref` (`GET /projects/:id/repository/files/:path`). */
    fileExists: (project: string, path: string, ref: string) =>
      call(`reading ${path}`, project, () => existsUnlessNotFound(api.RepositoryFiles.show(project, path, ref))),
    /** One commit with several file actions (`POST /projects/:id/repository/commits`). */
    commitFiles: (project: string, branch: string, message: string, files: GitLabCommitFile[]) =>
      call(`committing to ${branch}`, project, async () => {
        const actions = files.map((file) => ({
          action: file.exists ? ('update' as const) : ('create' as const),
          filePath: file.path,
          content: file.content,
        }));
        await api.Commits.create(project, branch, message, actions);
      }),
  };
}

/** Finding and opening merge requests. */
export function gitlabMergeRequestOperations({ api, call }: GitLabContext) {
  return {
    /** Open merge requests from `sourceBranch` (`GET /projects/:id/merge_requests?source_branch=…&state=opened`). */
    openMergeRequests: (project: string, sourceBranch: string) =>
      call('looking for an open merge request', project, async () => {
        const found = await api.MergeRequests.all({ projectId: project, sourceBranch, state: 'opened' });
        return found as unknown as GitLabMergeRequest[];
      }),
    createMergeRequest: (project: string, input: GitLabMergeRequestInput) =>
      call('opening a merge request', project, async () => {
        const mr = await api.MergeRequests.create(project, input.sourceBranch, input.targetBranch, input.title, {
          description: input.description,
          removeSourceBranch: true,
        });
        return mr as unknown as GitLabMergeRequest;
      }),
  };
}
