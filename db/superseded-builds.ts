import { and, eq, inArray, isNull, lt, ne, notInArray, type SQL } from 'drizzle-orm';
import { activeBuildStatuses } from '../domain/build-status';
import { isUntrustedChange, untrustedChangeEvents } from '../domain/merge-request';
import type { Database } from './client';
import { builds, type BuildRow } from './schema';

// Which builds count as the same change as `build`; undefined when nothing supersedes (a child, a tag, a manual sha).
function sameChangeAs(build: BuildRow): SQL | undefined {
  if (build.parentBuildId) return undefined;
  if (build.mergeRequestIid != null) return eq(builds.mergeRequestIid, build.mergeRequestIid);
  if (build.pullRequestNumber != null) return eq(builds.pullRequestNumber, build.pullRequestNumber);
  if (!build.branch || isUntrustedChange(build)) return undefined;
  return and(
    eq(builds.branch, build.branch),
    isNull(builds.mergeRequestIid),
    isNull(builds.pullRequestNumber),
    notInArray(builds.event, [...untrustedChangeEvents]),
  );
}

/** Workflow ids of the older, still running builds of the same service and change that `build` replaces. */
export async function olderRunningBuilds(db: Database, build: BuildRow): Promise<string[]> {
  const sameChange = sameChangeAs(build);
  if (!sameChange) return [];
  const rows = await db
    .select({ workflowId: builds.workflowId })
    .from(builds)
    .where(
      and(
        eq(builds.serviceId, build.serviceId),
        sameChange,
        isNull(builds.parentBuildId),
        inArray(builds.status, [...activeBuildStatuses]),
        lt(builds.createdAt, build.createdAt),
        ne(builds.id, build.id),
      ),
    );
  return rows.map((row) => row.workflowId);
}
