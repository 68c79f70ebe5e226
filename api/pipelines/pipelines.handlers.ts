import { parseJobTrace } from '../../clients/git-providers/job-trace';
import {
  canCancel,
  canRetry,
  groupJobsByStage,
  jobView,
  pipelineView,
  type GitLabPipeline,
} from '../../clients/git-providers/pipeline-view';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import type { AppRouteHandler } from '../openapi';
import { loadVisibleService } from '../services/load-service';
import { linkedProject, pipelineTarget, type LinkedProject } from './pipeline-target';
import type * as routes from './pipelines.routes';
import { viaProvider } from './provider-failure';

/** Handlers for `/services/{id}/pipelines` and job logs. */
export function createPipelineHandlers(deps: AppDeps) {
  return { ...pipelineReadHandlers(deps), ...pipelineActionHandlers(deps) };
}

/** The pipeline list (or why there is none), one pipeline with its stages, and a job's log. */
function pipelineReadHandlers(deps: AppDeps) {
  const listPipelines: AppRouteHandler<typeof routes.listPipelines> = async (c) => {
    const target = await pipelineTarget(
      deps,
      await loadVisibleService(deps.db, c.get('user'), c.req.valid('param').id),
    );
    if (!target.linked) return c.json(target, 200);
    const { page, perPage, ref } = c.req.valid('query');
    const result = await viaProvider(() => target.client.listPipelines(target.project, { page, perPage, ref }));
    const items = result.items.map(pipelineView);
    return c.json(
      { linked: true as const, projectPath: target.projectPath, items, pagination: result.pagination },
      200,
    );
  };
  const getPipeline: AppRouteHandler<typeof routes.getPipeline> = async (c) => {
    const { id, pipelineId } = c.req.valid('param');
    const { client, project } = await linkedProject(deps, c.get('user'), id);
    const [pipeline, jobs] = await viaProvider(() =>
      Promise.all([client.getPipeline(project, pipelineId), client.listPipelineJobs(project, pipelineId)]),
    );
    return c.json({ pipeline: pipelineView(pipeline), stages: groupJobsByStage(jobs) }, 200);
  };
  const getJobLog: AppRouteHandler<typeof routes.getJobLog> = async (c) => {
    const { id, jobId } = c.req.valid('param');
    const { client, project } = await linkedProject(deps, c.get('user'), id);
    const [job, trace] = await viaProvider(() =>
      Promise.all([client.getJob(project, jobId), client.getJobTrace(project, jobId)]),
    );
    return c.json({ job: jobView(job), ...parseJobTrace(trace, c.req.valid('query').maxLines) }, 200);
  };
  return { listPipelines, getPipeline, getJobLog };
}

/** Starting, cancelling and retrying pipelines. */
function pipelineActionHandlers(deps: AppDeps) {
  const runPipeline: AppRouteHandler<typeof routes.runPipeline> = async (c) => {
    const { client, project } = await linkedProject(deps, c.get('user'), c.req.valid('param').id);
    const { ref, variables } = c.req.valid('json');
    return c.json(pipelineView(await viaProvider(() => client.createPipeline(project, ref, variables))), 201);
  };
  const cancelPipeline: AppRouteHandler<typeof routes.cancelPipeline> = async (c) => {
    const { id, pipelineId } = c.req.valid('param');
    const target = await linkedProject(deps, c.get('user'), id);
    const changed = await changePipeline(target, pipelineId, cancelling);
    return c.json(pipelineView(changed), 200);
  };
  const retryPipeline: AppRouteHandler<typeof routes.retryPipeline> = async (c) => {
    const { id, pipelineId } = c.req.valid('param');
    const target = await linkedProject(deps, c.get('user'), id);
    const changed = await changePipeline(target, pipelineId, retrying);
    return c.json(pipelineView(changed), 200);
  };
  return { runPipeline, cancelPipeline, retryPipeline };
}

/** A change to a pipeline: in which states it applies, what to say otherwise, and the call that makes it. */
interface PipelineChange {
  allowed: (status: GitLabPipeline['status']) => boolean;
  /** The end of the 409 message: which pipelines the change applies to. */
  only: string;
  apply: (target: LinkedProject, pipelineId: number) => Promise<GitLabPipeline>;
}

const cancelling: PipelineChange = {
  allowed: canCancel,
  only: 'only running or pending pipelines can be cancelled',
  apply: ({ client, project }, id) => client.cancelPipeline(project, id),
};

const retrying: PipelineChange = {
  allowed: canRetry,
  only: 'only failed or canceled pipelines can be retried',
  apply: ({ client, project }, id) => client.retryPipeline(project, id),
};

/** Reads the pipeline, refuses with 409 when the change does not fit its state, then makes the change. */
async function changePipeline(target: LinkedProject, pipelineId: number, change: PipelineChange) {
  const current = await viaProvider(() => target.client.getPipeline(target.project, pipelineId));
  if (!change.allowed(current.status)) {
    throw apiError(409, `Pipeline ${pipelineId} is ${pipelineView(current).status.toLowerCase()}; ${change.only}.`);
  }
  return viaProvider(() => change.apply(target, pipelineId));
}
