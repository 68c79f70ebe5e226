import { GitbeakerRequestError, Gitlab, type PipelineStatus } from '@gitbeaker/rest';
import { translateGitLabError } from './errors';
import { singleShotRequester } from './gitlab-requester';
import type { GitLabJob, GitLabPipeline } from './pipeline-view';

/** Where and as whom to call GitLab. */
export interface GitLabClientOptions {
  /** GitLab's address (`https://gitlab.example.com`); a trailing `/api/v4` is accepted too. */
  baseUrl: string;
  token: string;
  /** Per-request timeout; the API keeps it short so a slow GitLab cannot hang a page. */
  timeoutMs?: number;
}

/** Offset pagination as GitLab reports it in `x-page`, `x-per-page`, `x-total`, `x-total-pages`, `x-next-page`. */
export interface Pagination {
  page: number;
  perPage: number;
  /** Null when GitLab omits the count (more than 10,000 rows). */
  total: number | null;
  totalPages: number | null;
  nextPage: number | null;
}

/** A commit status to post: GitLab's own state names. */
export interface GitLabStatusInput {
  state: 'pending' | 'running' | 'success' | 'failed' | 'canceled';
  name: string;
  targetUrl: string;
  description: string;
  ref?: string;
  pipelineId?: number;
}

/** A project webhook's settings Kiln manages. */
export interface GitLabHookInput {
  url: string;
  token: string;
  pushEvents: boolean;
  tagPushEvents: boolean;
  mergeRequestsEvents: boolean;
  enableSslVerification: boolean;
}

/** A project webhook as GitLab lists it (GitLab never returns the secret token). */
export interface GitLabHook {
  id: number;
  url: string;
  push_events: boolean;
  tag_push_events: boolean;
  merge_requests_events: boolean;
  enable_ssl_verification: boolean;
}

/** GitLab's address without the API suffix, as @gitbeaker/rest wants it. */
export function gitlabHost(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/api\/v4$/, '');
}

type Loose = Record<string, unknown>;

/** A GitLab client for one token: every failure comes out as a ProviderError (errors.ts). */
export function createGitLabClient({ baseUrl, token, timeoutMs = 30_000 }: GitLabClientOptions) {
  const host = gitlabHost(baseUrl);
  const api = new Gitlab({ host, token, requesterFn: singleShotRequester, queryTimeout: timeoutMs });
  const call = async <T>(action: string, project: string | undefined, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw translateGitLabError(error, { action, project, baseUrl: host });
    }
  };

  return {
    /** One page of a project's pipelines, newest first. */
    listPipelines: (project: string, query: { page: number; perPage: number; ref?: string; status?: PipelineStatus }) =>
      call('listing pipelines', project, async () => {
        const { data, paginationInfo: info } = await api.Pipelines.all(project, {
          ...query,
          showExpanded: true,
          pagination: 'offset',
        });
        const pagination: Pagination = {
          page: info.current,
          perPage: Number.isNaN(info.perPage) ? query.perPage : info.perPage,
          total: Number.isNaN(info.total) ? null : info.total,
          totalPages: Number.isNaN(info.totalPages) ? null : info.totalPages,
          nextPage: info.next,
        };
        return { items: data as unknown as GitLabPipeline[], pagination };
      }),
    getPipeline: (project: string, id: number) =>
      call(
        `reading pipeline ${id}`,
        project,
        async () => (await api.Pipelines.show(project, id)) as unknown as GitLabPipeline,
      ),
    /** Every job of a pipeline (all pages; retried attempts left out). */
    listPipelineJobs: (project: string, pipelineId: number) =>
      call(`listing jobs of pipeline ${pipelineId}`, project, async () => {
        const jobs = await api.Jobs.all(project, { pipelineId, perPage: 100 });
        return jobs as unknown as GitLabJob[];
      }),
    createPipeline: (project: string, ref: string, variables: { key: string; value: string }[] = []) =>
      call(`starting a pipeline on ${ref}`, project, async () => {
        const options = variables.length > 0 ? { variables } : {};
        return (await api.Pipelines.create(project, ref, options)) as unknown as GitLabPipeline;
      }),
    cancelPipeline: (project: string, id: number) =>
      call(
        `cancelling pipeline ${id}`,
        project,
        async () => (await api.Pipelines.cancel(project, id)) as unknown as GitLabPipeline,
      ),
    retryPipeline: (project: string, id: number) =>
      call(
        `retrying pipeline ${id}`,
        project,
        async () => (await api.Pipelines.retry(project, id)) as unknown as GitLabPipeline,
      ),
    getJob: (project: string, jobId: number) =>
      call(`reading job ${jobId}`, project, async () => (await api.Jobs.show(project, jobId)) as unknown as GitLabJob),
    /** The raw job log (`GET /projects/:id/jobs/:job_id/trace`), ANSI sequences included. */
    getJobTrace: (project: string, jobId: number) =>
      call(`reading the log of job ${jobId}`, project, async () => {
        const body = (await api.Jobs.showLog(project, jobId)) as unknown;
        return typeof body === 'string' ? body : body instanceof Blob ? await body.text() : '';
      }),
    /** The newest pipeline of `sha`, preferring a merge-request pipeline or one on `ref`. */
    findPipelineForCommit: (project: string, sha: string, prefer: { mergeRequest: boolean; ref?: string }) =>
      call(`finding the pipeline of ${sha.slice(0, 8)}`, project, async () => {
        const pipelines = (await api.Pipelines.all(project, {
          sha,
          perPage: 20,
          page: 1,
        })) as unknown as GitLabPipeline[];
        const mr = pipelines.find((p) => /^refs\/merge-requests\/\d+\/(head|merge)$/.test(p.ref));
        if (prefer.mergeRequest && mr) return mr;
        return pipelines.find((p) => p.ref === prefer.ref) ?? null;
      }),
    /**
     * Posts a commit status. GitLab answers 400 "Cannot transition status" when the status already has this state
     * (a retried report); that is success, and returns 'unchanged'.
     */
    setCommitStatus: (project: string, sha: string, input: GitLabStatusInput) =>
      call(`reporting commit status ${input.name}`, project, async () => {
        const { state, ...options } = input;
        try {
          await api.Commits.editStatus(project, sha, state, options);
          return 'posted' as const;
        } catch (error) {
          if (isSameState(error)) return 'unchanged' as const;
          throw error;
        }
      }),
    listHooks: (project: string) =>
      call('listing webhooks', project, async () => (await api.ProjectHooks.all(project)) as unknown as GitLabHook[]),
    addHook: (project: string, { url, ...options }: GitLabHookInput) =>
      call(
        'adding the Kiln webhook',
        project,
        async () => (await api.ProjectHooks.add(project, url, options)) as unknown as GitLabHook,
      ),
    editHook: (project: string, id: number, { url, ...options }: GitLabHookInput) =>
      call(
        'updating the Kiln webhook',
        project,
        async () => (await api.ProjectHooks.edit(project, id, url, options)) as unknown as GitLabHook,
      ),
    /** The project's default branch (`GET /projects/:id`). */
    defaultBranch: (project: string) =>
      call('reading the project', project, async () => {
        const data = (await api.Projects.show(project)) as unknown as { default_branch?: string };
        return data.default_branch ?? 'main';
      }),
    /** Open merge requests from `sourceBranch` (`GET /projects/:id/merge_requests?source_branch=…&state=opened`). */
    openMergeRequests: (project: string, sourceBranch: string) =>
      call('looking for an open merge request', project, async () => {
        const found = await api.MergeRequests.all({ projectId: project, sourceBranch, state: 'opened' });
        return found as unknown as Array<{ iid: number; web_url: string }>;
      }),
    /** True when the branch exists (`GET /projects/:id/repository/branches/:branch`). */
    branchExists: (project: string, branch: string) =>
      call(`reading branch ${branch}`, project, () =>
        api.Branches.show(project, branch).then(
          () => true,
          (error: unknown) => (isNotFound(error) ? false : Promise.reject(error)),
        ),
      ),
    createBranch: (project: string, branch: string, ref: string) =>
      call(`creating branch ${branch}`, project, async () => {
        await api.Branches.create(project, branch, ref);
      }),
    /** True when `path` exists on `ref` (`GET /projects/:id/repository/files/:path`). */
    fileExists: (project: string, path: string, ref: string) =>
      call(`reading ${path}`, project, () =>
        api.RepositoryFiles.show(project, path, ref).then(
          () => true,
          (error: unknown) => (isNotFound(error) ? false : Promise.reject(error)),
        ),
      ),
    /** One commit with several file actions (`POST /projects/:id/repository/commits`). */
    commitFiles: (
      project: string,
      branch: string,
      message: string,
      files: Array<{ path: string; content: string; exists: boolean }>,
    ) =>
      call(`committing to ${branch}`, project, async () => {
        const actions = files.map((file) => ({
          action: file.exists ? ('update' as const) : ('create' as const),
          filePath: file.path,
          content: file.content,
        }));
        await api.Commits.create(project, branch, message, actions);
      }),
    createMergeRequest: (
      project: string,
      input: { sourceBranch: string; targetBranch: string; title: string; description: string },
    ) =>
      call('opening a merge request', project, async () => {
        const mr = await api.MergeRequests.create(project, input.sourceBranch, input.targetBranch, input.title, {
          description: input.description,
          removeSourceBranch: true,
        });
        return mr as unknown as { iid: number; web_url: string };
      }),
    /** The token's own record (`GET /personal_access_tokens/self`): scopes, expiry, active. */
    tokenInfo: () =>
      call('checking the token', undefined, async () => (await api.PersonalAccessTokens.show()) as unknown as Loose),
    currentUser: () =>
      call('reading the token user', undefined, async () => (await api.Users.showCurrentUser()) as unknown as Loose),
  };
}

/** The GitLab client's type, for injection. */
export type GitLabClient = ReturnType<typeof createGitLabClient>;

function isNotFound(error: unknown): boolean {
  return error instanceof GitbeakerRequestError && error.cause?.response.status === 404;
}

function isSameState(error: unknown): boolean {
  return (
    error instanceof GitbeakerRequestError &&
    error.cause?.response.status === 400 &&
    /cannot transition status/i.test(error.cause.description)
  );
}
