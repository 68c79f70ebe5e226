import type { PipelineStatus } from '@gitbeaker/rest';
import type { GitLabContext } from './gitlab-context';
import type { GitLabJob, GitLabPipeline } from './pipeline-view';

/** Offset pagination as GitLab reports it in `x-page`, `x-per-page`, `x-total`, `x-total-pages`, `x-next-page`. */
export interface Pagination {
  page: number;
  perPage: number;
  /** Null when GitLab omits the count (more than 10,000 rows). */
  total: number | null;
  totalPages: number | null;
  nextPage: number | null;
}

/** What the Pipelines tab asks for: one page, optionally of one ref or status. */
export interface PipelineListQuery {
  page: number;
  perPage: number;
  ref?: string;
  status?: PipelineStatus;
}

/** GitLab's pagination headers as parsed by gitbeaker: a missing number comes out as NaN. */
interface PaginationInfo {
  current: number;
  perPage: number;
  total: number;
  totalPages: number;
  next: number | null;
}

function paginationOf(info: PaginationInfo, askedPerPage: number): Pagination {
  return {
    page: info.current,
    perPage: Number.isNaN(info.perPage) ? askedPerPage : info.perPage,
    total: Number.isNaN(info.total) ? null : info.total,
    totalPages: Number.isNaN(info.totalPages) ? null : info.totalPages,
    nextPage: info.next,
  };
}

const mergeRequestRef = /^refs\/merge-requests\/\d+\/(head|merge)$/;

/** Pipelines of a project: listing, reading, starting, cancelling and retrying them. */
export function gitlabPipelineOperations({ api, call }: GitLabContext) {
  return {
    /** One page of a project's pipelines, newest first. */
    listPipelines: (project: string, query: PipelineListQuery) =>
      call('listing pipelines', project, async () => {
        const { data, paginationInfo: info } = await api.Pipelines.all(project, {
          ...query,
          showExpanded: true,
          pagination: 'offset',
        });
        return { items: data as unknown as GitLabPipeline[], pagination: paginationOf(info, query.perPage) };
      }),
    getPipeline: (project: string, id: number) =>
      call(
        `reading pipeline ${id}`,
        project,
        async () => (await api.Pipelines.show(project, id)) as unknown as GitLabPipeline,
      ),
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
    /** The newest pipeline of `sha`, preferring a merge-request pipeline or one on `ref`. */
    findPipelineForCommit: (project: string, sha: string, prefer: { mergeRequest: boolean; ref?: string }) =>
      call(`finding the pipeline of ${sha.slice(0, 8)}`, project, async () => {
        const found = await api.Pipelines.all(project, { sha, perPage: 20, page: 1 });
        const pipelines = found as unknown as GitLabPipeline[];
        const mr = pipelines.find((p) => mergeRequestRef.test(p.ref));
        if (prefer.mergeRequest && mr) return mr;
        return pipelines.find((p) => p.ref === prefer.ref) ?? null;
      }),
  };
}

/** The jobs of a pipeline and their logs. */
export function gitlabJobOperations({ api, call }: GitLabContext) {
  return {
    /** Every job of a pipeline (all pages; retried attempts left out). */
    listPipelineJobs: (project: string, pipelineId: number) =>
      call(`listing jobs of pipeline ${pipelineId}`, project, async () => {
        const jobs = await api.Jobs.all(project, { pipelineId, perPage: 100 });
        return jobs as unknown as GitLabJob[];
      }),
    getJob: (project: string, jobId: number) =>
      call(`reading job ${jobId}`, project, async () => (await api.Jobs.show(project, jobId)) as unknown as GitLabJob),
    /** The raw job log (`GET /projects/:id/jobs/:job_id/trace`), ANSI sequences included. */
    getJobTrace: (project: string, jobId: number) =>
      call(`reading the log of job ${jobId}`, project, async () => {
        const body = (await api.Jobs.showLog(project, jobId)) as unknown;
        return typeof body === 'string' ? body : body instanceof Blob ? await body.text() : '';
      }),
  };
}
