import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, isNull, type SQL } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import type { NewBuild } from '../../db/builds';
import { builds, services, type BuildRow } from '../../db/schema';
import { buildWorkflowId } from '../../workflows/names';
import type { AppDeps, AuthUser } from '../deps';
import { visibleTo, withinReach } from '../scope';
import { buildView, type buildListQuery } from './builds.schemas';
import { createBuild } from './start-build';

/** A page of the build list as the routes ask for it. */
export type BuildPageQuery = Partial<z.infer<typeof buildListQuery>> & { page: number; pageSize: number };

/** How the API shows a build row at this moment (durations run on the injected clock). */
export function buildViewer({ config, clock }: AppDeps) {
  return (row: BuildRow, serviceName: string) =>
    buildView(row, serviceName, clock?.() ?? new Date(), config.temporalUiUrl, config.temporalNamespace);
}

/** A build the caller may see, with its service's name; 404 otherwise. */
export async function loadBuild({ db }: AppDeps, user: AuthUser, id: string) {
  const [row] = await db
    .select({ build: builds, serviceName: services.name })
    .from(builds)
    .innerJoin(services, eq(services.id, builds.serviceId))
    .where(visibleTo(user, builds.organizationId, eq(builds.id, id)));
  return withinReach(user, row && { ...row, organizationId: row.build.organizationId }, `Build ${id}`);
}

/** One page of the builds the caller may see, newest first; sub-project builds only when asked for. */
export async function buildPage(deps: AppDeps, user: AuthUser, query: BuildPageQuery) {
  const where = and(...pageFilters(user, query));
  const rows = await deps.db
    .select({ build: builds, serviceName: services.name })
    .from(builds)
    .innerJoin(services, eq(services.id, builds.serviceId))
    .where(where)
    .orderBy(desc(builds.createdAt), desc(builds.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const [total] = await deps.db.select({ n: count() }).from(builds).where(where);
  const view = buildViewer(deps);
  const items = rows.map((r) => view(r.build, r.serviceName));
  return { items, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

function pageFilters(user: AuthUser, query: BuildPageQuery): (SQL | undefined)[] {
  const filters: (SQL | undefined)[] = [visibleTo(user, builds.organizationId)];
  if (query.serviceId) filters.push(eq(builds.serviceId, query.serviceId));
  if (query.status) filters.push(eq(builds.status, query.status));
  if (query.branch) filters.push(eq(builds.branch, query.branch));
  if (query.trigger) filters.push(eq(builds.trigger, query.trigger));
  if (query.event) filters.push(eq(builds.event, query.event));
  if (!query.includeChildren) filters.push(isNull(builds.parentBuildId));
  return filters;
}

/** Records a new build under a fresh id and starts its workflow. */
export async function startNewBuild(
  { db, temporal, clock }: AppDeps,
  values: Omit<NewBuild, 'id' | 'workflowId'>,
  systemLine: string,
): Promise<BuildRow> {
  const id = randomUUID();
  const at = clock?.() ?? new Date();
  return (await createBuild(db, temporal, { ...values, id, workflowId: buildWorkflowId(id) }, systemLine, at)).build;
}
