import { loadProviderConnection, plainGitMessage } from '../../clients/git-providers/connection';
import { createGitLabClient, type GitLabClient } from '../../clients/git-providers/gitlab';
import { parseJobTrace } from '../../clients/git-providers/job-trace';
import {
  canCancel,
  canRetry,
  groupJobsByStage,
  jobView,
  pipelineView,
} from '../../clients/git-providers/pipeline-view';
import type { AppDeps, AuthUser } from '../deps';
import { apiError } from '../errors';
import { loadVisibleService, type ServiceRow } from '../services/load-service';
import type { AppRouteHandler } from '../openapi';
import type * as routes from './pipelines.routes';
import { viaProvider } from './provider-failure';

type Linked = { linked: true; client: GitLabClient; project: string; projectPath: string };
type NotLinked = { linked: false; reason: 'not-gitlab' | 'no-token' | 'plain-git'; message: string };

/** Handlers for `/services/{id}/pipelines` and job logs. */
export function createPipelineHandlers({ db, cipher }: AppDeps) {
  const resolve = async (service: ServiceRow): Promise<Linked | NotLinked> => {
    if (service.gitProvider !== 'gitlab') {
      return {
        linked: false,
        reason: 'not-gitlab',
        message: `Service ${service.name} is not linked to a GitLab project (its repository is on GitHub). Pipelines come from GitLab CI/CD: set the service's repository URL to a GitLab project in its settings to see them here.`,
      };
    }
    const result = await loadProviderConnection(db, cipher, service);
    if (!result.ok) return { linked: false, reason: 'no-token', message: result.message };
    if (!result.connection.providerApi) {
      return { linked: false, reason: 'plain-git', message: plainGitMessage(result.connection.baseUrl, 'pipelines') };
    }
    const { baseUrl, token, project, projectPath } = result.connection;
    return { linked: true, client: createGitLabClient({ baseUrl, token, timeoutMs: 20_000 }), project, projectPath };
  };
  // Every route but the list needs the link; without it they answer 409 with the same how-to message.
  const linkedService = async (user: AuthUser, id: string): Promise<Linked> => {
    const target = await resolve(await loadVisibleService(db, user, id));
    if (!target.linked) throw apiError(409, target.message);
    return target;
  };

  const listPipelines: AppRouteHandler<typeof routes.listPipelines> = async (c) => {
    const target = await resolve(await loadVisibleService(db, c.get('user'), c.req.valid('param').id));
    if (!target.linked) return c.json(target, 200);
    const { page, perPage, ref } = c.req.valid('query');
    const result = await viaProvider(() => target.client.listPipelines(target.project, { page, perPage, ref }));
    return c.json(
      {
        linked: true as const,
        projectPath: target.projectPath,
        items: result.items.map(pipelineView),
        pagination: result.pagination,
      },
      200,
    );
  };
  const runPipeline: AppRouteHandler<typeof routes.runPipeline> = async (c) => {
    const target = await linkedService(c.get('user'), c.req.valid('param').id);
    const { ref, variables } = c.req.valid('json');
    const pipeline = await viaProvider(() => target.client.createPipeline(target.project, ref, variables));
    return c.json(pipelineView(pipeline), 201);
  };
  const getPipeline: AppRouteHandler<typeof routes.getPipeline> = async (c) => {
    const { id, pipelineId } = c.req.valid('param');
    const target = await linkedService(c.get('user'), id);
    const [pipeline, jobs] = await viaProvider(() =>
      Promise.all([
        target.client.getPipeline(target.project, pipelineId),
        target.client.listPipelineJobs(target.project, pipelineId),
      ]),
    );
    return c.json({ pipeline: pipelineView(pipeline), stages: groupJobsByStage(jobs) }, 200);
  };
  const cancelPipeline: AppRouteHandler<typeof routes.cancelPipeline> = async (c) => {
    const { id, pipelineId } = c.req.valid('param');
    const target = await linkedService(c.get('user'), id);
    const current = await viaProvider(() => target.client.getPipeline(target.project, pipelineId));
    if (!canCancel(current.status)) {
      throw apiError(
        409,
        `Pipeline ${pipelineId} is ${pipelineView(current).status.toLowerCase()}; only running or pending pipelines can be cancelled.`,
      );
    }
    return c.json(pipelineView(await viaProvider(() => target.client.cancelPipeline(target.project, pipelineId))), 200);
  };
  const retryPipeline: AppRouteHandler<typeof routes.retryPipeline> = async (c) => {
    const { id, pipelineId } = c.req.valid('param');
    const target = await linkedService(c.get('user'), id);
    const current = await viaProvider(() => target.client.getPipeline(target.project, pipelineId));
    if (!canRetry(current.status)) {
      throw apiError(
        409,
        `Pipeline ${pipelineId} is ${pipelineView(current).status.toLowerCase()}; only failed or canceled pipelines can be retried.`,
      );
    }
    return c.json(pipelineView(await viaProvider(() => target.client.retryPipeline(target.project, pipelineId))), 200);
  };
  const getJobLog: AppRouteHandler<typeof routes.getJobLog> = async (c) => {
    const { id, jobId } = c.req.valid('param');
    const target = await linkedService(c.get('user'), id);
    const [job, trace] = await viaProvider(() =>
      Promise.all([target.client.getJob(target.project, jobId), target.client.getJobTrace(target.project, jobId)]),
    );
    return c.json({ job: jobView(job), ...parseJobTrace(trace, c.req.valid('query').maxLines) }, 200);
  };
  return { listPipelines, runPipeline, getPipeline, cancelPipeline, retryPipeline, getJobLog };
}
