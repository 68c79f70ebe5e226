import { WorkflowNotFoundError } from '@temporalio/client';
import { freshBuildState, listChildBuilds } from '../../db/builds';
import { isFinishedBuildStatus } from '../../domain/build-status';
import type { BuildRow } from '../../db/schema';
import { cancelBuildSignal } from '../../workflows/messages';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import type { AppRouteHandler } from '../openapi';
import { loadVisibleService } from '../services/load-service';
import { buildPage, buildViewer, loadBuild, startNewBuild } from './build-queries';
import type * as routes from './builds.routes';

/** Handlers for builds: list, trigger, detail, cancel, retry. */
export function createBuildHandlers(deps: AppDeps) {
  return { ...buildReadHandlers(deps), ...buildActionHandlers(deps) };
}

/** Listing builds (all, or one service's) and one build with its sub-project builds. */
function buildReadHandlers(deps: AppDeps) {
  const view = buildViewer(deps);
  const listBuilds: AppRouteHandler<typeof routes.listBuilds> = async (c) =>
    c.json(await buildPage(deps, c.get('user'), c.req.valid('query')), 200);
  const listServiceBuilds: AppRouteHandler<typeof routes.listServiceBuilds> = async (c) => {
    const service = await loadVisibleService(deps.db, c.get('user'), c.req.valid('param').id);
    return c.json(await buildPage(deps, c.get('user'), { ...c.req.valid('query'), serviceId: service.id }), 200);
  };
  const getBuild: AppRouteHandler<typeof routes.getBuild> = async (c) => {
    const { build, serviceName } = await loadBuild(deps, c.get('user'), c.req.valid('param').id);
    const children = await listChildBuilds(deps.db, [build.id]);
    return c.json({ ...view(build, serviceName), children: children.map((child) => view(child, serviceName)) }, 200);
  };
  return { listBuilds, listServiceBuilds, getBuild };
}

/** Starting a build by hand, cancelling one and retrying a failed or cancelled one. */
function buildActionHandlers(deps: AppDeps) {
  const view = buildViewer(deps);
  const triggerBuild: AppRouteHandler<typeof routes.triggerBuild> = async (c) => {
    const user = c.get('user');
    const service = await loadVisibleService(deps.db, user, c.req.valid('param').id);
    if (!service.registryId)
      throw apiError(409, `Service ${service.name} has no registry to push to; set registryId first.`);
    const input = c.req.valid('json') ?? {};
    const branch = input.branch ?? service.defaultBranch;
    const build = await startNewBuild(
      deps,
      {
        serviceId: service.id,
        organizationId: service.organizationId,
        trigger: 'api',
        event: 'manual',
        ref: `refs/heads/${branch}`,
        branch,
        sha: input.sha ?? null,
        triggeredByUserId: user.id,
      },
      `Triggered manually by ${user.name} (branch ${branch})`,
    );
    return c.json(view(build, service.name), 201);
  };
  const cancelBuild: AppRouteHandler<typeof routes.cancelBuild> = async (c) => {
    const { build } = await loadBuild(deps, c.get('user'), c.req.valid('param').id);
    await signalCancel(deps, build, c.req.valid('json')?.reason ?? `Cancelled by ${c.get('user').name}`);
    return c.json({ status: 'cancelling' as const }, 202);
  };
  const retryBuild: AppRouteHandler<typeof routes.retryBuild> = async (c) => {
    const user = c.get('user');
    const { build: old, serviceName } = await loadBuild(deps, user, c.req.valid('param').id);
    if (old.status !== 'Failed' && old.status !== 'Cancelled') {
      throw apiError(409, `Only Failed or Cancelled builds can be retried; build ${old.id} is ${old.status}.`);
    }
    // A retried sub-project build stands alone: its old parent already has a child for that sub-project.
    const { id: _i, workflowId: _w, createdAt: _c, parentBuildId: _p, ...same } = old;
    const build = await startNewBuild(
      deps,
      { ...same, trigger: 'retry', retryOfBuildId: old.id, triggeredByUserId: user.id, ...freshBuildState },
      `Retry of build ${old.id} by ${user.name} (${old.ref} @ ${old.sha?.slice(0, 12) ?? 'branch head'})`,
    );
    return c.json(view(build, serviceName), 201);
  };
  return { triggerBuild, cancelBuild, retryBuild };
}

/** Asks a running build's workflow to cancel; a finished build or an ended workflow is a 409. */
async function signalCancel(
  { temporal }: AppDeps,
  build: Pick<BuildRow, 'id' | 'status' | 'workflowId'>,
  reason: string,
): Promise<void> {
  if (isFinishedBuildStatus(build.status))
    throw apiError(409, `Build ${build.id} already finished (${build.status}); nothing to cancel.`);
  try {
    await temporal.workflow.getHandle(build.workflowId).signal(cancelBuildSignal, reason);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw apiError(409, `Build ${build.id}'s workflow has already ended.`);
    throw apiError(503, `Could not reach Temporal to cancel build ${build.id}: ${(error as Error).message}`);
  }
}
