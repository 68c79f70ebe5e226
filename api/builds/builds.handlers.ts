import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { and, count, desc, eq, isNull, type SQL } from 'drizzle-orm';
import { freshBuildState, listChildBuilds } from '../../db/builds';
import { builds, services, type BuildRow } from '../../db/schema';
import { cancelBuildSignal } from '../../workflows/messages';
import { buildWorkflowId } from '../../workflows/names';
import type { AppDeps, AuthUser } from '../deps';
import { apiError } from '../errors';
import { visibleTo, withinReach } from '../scope';
import { loadVisibleService } from '../services/load-service';
import type { AppRouteHandler } from '../openapi';
import type * as routes from './builds.routes';
import { buildView, type buildListQuery } from './builds.schemas';
import type { NewBuild } from '../../db/builds';
import { createBuild } from './start-build';
import type { z } from '@hono/zod-openapi';
import { isFinishedBuildStatus } from '../../domain/build-status';

type ListQuery = z.infer<typeof buildListQuery>;

/** Handlers for builds: list, trigger, detail, cancel, retry. */
export function createBuildHandlers(deps: AppDeps) {
  const { db, temporal, config } = deps;
  const now = () => deps.clock?.() ?? new Date();
  const view = (row: BuildRow, serviceName: string) =>
    buildView(row, serviceName, now(), config.temporalUiUrl, config.temporalNamespace);

  const loadBuild = async (user: AuthUser, id: string) => {
    const [row] = await db
      .select({ build: builds, serviceName: services.name })
      .from(builds)
      .innerJoin(services, eq(services.id, builds.serviceId))
      .where(visibleTo(user, builds.organizationId, eq(builds.id, id)));
    return withinReach(user, row && { ...row, organizationId: row.build.organizationId }, `Build ${id}`);
  };

  const page = async (user: AuthUser, query: Partial<ListQuery> & { page: number; pageSize: number }) => {
    const filters: (SQL | undefined)[] = [visibleTo(user, builds.organizationId)];
    if (query.serviceId) filters.push(eq(builds.serviceId, query.serviceId));
    if (query.status) filters.push(eq(builds.status, query.status));
    if (query.branch) filters.push(eq(builds.branch, query.branch));
    if (query.trigger) filters.push(eq(builds.trigger, query.trigger));
    if (query.event) filters.push(eq(builds.event, query.event));
    if (!query.includeChildren) filters.push(isNull(builds.parentBuildId));
    const where = and(...filters);
    const rows = await db
      .select({ build: builds, serviceName: services.name })
      .from(builds)
      .innerJoin(services, eq(services.id, builds.serviceId))
      .where(where)
      .orderBy(desc(builds.createdAt), desc(builds.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const [total] = await db.select({ n: count() }).from(builds).where(where);
    const items = rows.map((r) => view(r.build, r.serviceName));
    return { items, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
  };

  const start = async (values: Omit<NewBuild, 'id' | 'workflowId'>, systemLine: string) => {
    const id = randomUUID();
    return (await createBuild(db, temporal, { ...values, id, workflowId: buildWorkflowId(id) }, systemLine, now()))
      .build;
  };

  const listBuilds: AppRouteHandler<typeof routes.listBuilds> = async (c) =>
    c.json(await page(c.get('user'), c.req.valid('query')), 200);
  const listServiceBuilds: AppRouteHandler<typeof routes.listServiceBuilds> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    return c.json(await page(c.get('user'), { ...c.req.valid('query'), serviceId: service.id }), 200);
  };
  const triggerBuild: AppRouteHandler<typeof routes.triggerBuild> = async (c) => {
    const user = c.get('user');
    const service = await loadVisibleService(db, user, c.req.valid('param').id);
    if (!service.registryId)
      throw apiError(409, `Service ${service.name} has no registry to push to; set registryId first.`);
    const input = c.req.valid('json') ?? {};
    const branch = input.branch ?? service.defaultBranch;
    const build = await start(
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
  const getBuild: AppRouteHandler<typeof routes.getBuild> = async (c) => {
    const { build, serviceName } = await loadBuild(c.get('user'), c.req.valid('param').id);
    const children = await listChildBuilds(db, [build.id]);
    return c.json({ ...view(build, serviceName), children: children.map((child) => view(child, serviceName)) }, 200);
  };
  const cancelBuild: AppRouteHandler<typeof routes.cancelBuild> = async (c) => {
    const { build } = await loadBuild(c.get('user'), c.req.valid('param').id);
    if (isFinishedBuildStatus(build.status))
      throw apiError(409, `Build ${build.id} already finished (${build.status}); nothing to cancel.`);
    try {
      await temporal.workflow
        .getHandle(build.workflowId)
        .signal(cancelBuildSignal, c.req.valid('json')?.reason ?? `Cancelled by ${c.get('user').name}`);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError)
        throw apiError(409, `Build ${build.id}'s workflow has already ended.`);
      throw apiError(503, `Could not reach Temporal to cancel build ${build.id}: ${(error as Error).message}`);
    }
    return c.json({ status: 'cancelling' as const }, 202);
  };
  const retryBuild: AppRouteHandler<typeof routes.retryBuild> = async (c) => {
    const user = c.get('user');
    const { build: old, serviceName } = await loadBuild(user, c.req.valid('param').id);
    if (old.status !== 'Failed' && old.status !== 'Cancelled') {
      throw apiError(409, `Only Failed or Cancelled builds can be retried; build ${old.id} is ${old.status}.`);
    }
    // A retried sub-project build stands alone: its old parent already has a child for that sub-project.
    const { id: _i, workflowId: _w, createdAt: _c, parentBuildId: _p, ...same } = old;
    const build = await start(
      {
        ...same,
        trigger: 'retry',
        retryOfBuildId: old.id,
        triggeredByUserId: user.id,
        ...freshBuildState,
      },
      `Retry of build ${old.id} by ${user.name} (${old.ref} @ ${old.sha?.slice(0, 12) ?? 'branch head'})`,
    );
    return c.json(view(build, serviceName), 201);
  };
  return { listBuilds, listServiceBuilds, triggerBuild, getBuild, cancelBuild, retryBuild };
}
