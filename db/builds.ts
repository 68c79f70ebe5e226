import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { finishedBuildStatuses, isFinishedBuildStatus } from '../domain/build-status';
import { buildWorkflowId } from '../workflows/names';
import type { Database } from './client';
import { buildLogLines, builds, type BuildRow } from './schema';
import { triggerLine } from '../domain/build-log-lines';

// The worker's view of a build lives in build-context.ts; re-exported so callers need one import.
export { loadBuildForWorkflow, type BuildForWorkflow } from './build-context';

type Status = BuildRow['status'];

/** Progress written by the build pipeline; only the fields given change. */
export interface BuildProgressUpdate {
  status?: Status;
  step?: string;
  percent?: number;
  error?: string | null;
  errorType?: string | null;
  startedAt?: Date;
  finishedAt?: Date;
  images?: string[];
  digest?: string;
  digests?: Record<string, string>;
  /** The resolved commit, for manual builds started from a branch name. */
  sha?: string;
}

/**
 * Records the commit's subject and author on a build that has none (a manual build names only a branch or sha;
 * a webhook build already carries what the delivery said, which stays).
 */
export async function recordCommitDetails(
  db: Database,
  buildId: string,
  commit: { message: string; author: string },
): Promise<void> {
  await db
    .update(builds)
    .set({ commitMessage: commit.message, commitAuthor: commit.author })
    .where(and(eq(builds.id, buildId), isNull(builds.commitMessage)));
}

/**
 * Records build progress. A finished build (Succeeded/Failed/Cancelled) is never moved back to a running state,
 * so a late or replayed activity cannot undo the outcome. `durationMs` is derived when `finishedAt` is set.
 * Returns false when the update was refused for that reason.
 */
export async function updateBuildProgress(
  db: Database,
  buildId: string,
  update: BuildProgressUpdate,
): Promise<boolean> {
  const values: Partial<typeof builds.$inferInsert> = {};
  if (update.status) values.status = update.status;
  if (update.step) values.currentStep = update.step;
  if (update.percent !== undefined) values.progress = Math.max(0, Math.min(100, Math.round(update.percent)));
  if (update.error !== undefined) values.error = update.error;
  if (update.errorType !== undefined) values.errorType = update.errorType;
  if (update.startedAt) values.startedAt = update.startedAt;
  if (update.images) values.images = update.images;
  if (update.digest) values.digest = update.digest;
  if (update.digests) values.digests = update.digests;
  if (update.sha) values.sha = update.sha;
  const set: Record<string, unknown> = { ...values };
  if (update.finishedAt) {
    set.finishedAt = update.finishedAt;
    const started = update.startedAt
      ? sql`${update.startedAt.toISOString()}::timestamptz`
      : sql`coalesce(${builds.startedAt}, ${builds.createdAt})`;
    set.durationMs = sql`greatest(0, (extract(epoch from (${update.finishedAt.toISOString()}::timestamptz - ${started})) * 1000)::bigint)`;
  }
  if (Object.keys(set).length === 0) return true;
  const guard =
    update.status && isFinishedBuildStatus(update.status)
      ? undefined
      : notInArray(builds.status, [...finishedBuildStatuses]);
  const rows = await db
    .update(builds)
    .set(set)
    .where(and(eq(builds.id, buildId), guard))
    .returning({ id: builds.id });
  return rows.length > 0;
}

/** The outcome fields of a build that has not run yet, for rows copied from another build (children, retries). */
export const freshBuildState = {
  status: 'Pending',
  progress: 0,
  currentStep: 'Queued',
  error: null,
  errorType: null,
  images: [],
  digest: null,
  digests: {},
  startedAt: null,
  finishedAt: null,
  durationMs: null,
} satisfies Partial<typeof builds.$inferInsert>;

/** A build row to record: every column the caller knows, the workflow id included. */
export type NewBuild = typeof builds.$inferInsert & { id: string; workflowId: string };

/**
 * The one way a build comes to exist, for webhooks, API triggers, retries and sub-projects: its row, recorded once
 * per workflow id (or per parent and sub-project), and its first log line ("Triggered by …") in the same
 * transaction, so a build is never seen without saying what started it. A repeated or concurrent call records
 * nothing and returns the first call's row. Starting the workflow is the caller's: a client start
 * (api/builds/start-build.ts) or a child workflow of the parent build.
 */
export async function recordBuild(
  db: Database,
  values: NewBuild,
  firstLine: string,
  at: Date = new Date(),
): Promise<{ build: BuildRow; inserted: boolean }> {
  const inserted = await db.transaction(async (tx) => {
    const [row] = await tx.insert(builds).values(values).onConflictDoNothing().returning();
    if (row) await tx.insert(buildLogLines).values({ buildId: row.id, seq: 0, stream: 'system', text: firstLine, at });
    return row;
  });
  if (inserted) return { build: inserted, inserted: true };
  const same =
    values.parentBuildId && values.subproject
      ? and(eq(builds.parentBuildId, values.parentBuildId), eq(builds.subproject, values.subproject))
      : eq(builds.workflowId, values.workflowId);
  const [existing] = await db.select().from(builds).where(same);
  if (!existing) throw new Error(`Build for workflow ${values.workflowId} vanished while recording it.`);
  return { build: existing, inserted: false };
}

/** Records (once) the child build of a monorepo sub-project; repeated calls return the same child. */
export async function ensureChildBuild(db: Database, parent: BuildRow, subproject: string): Promise<BuildRow> {
  const id = randomUUID();
  const { id: _id, createdAt: _c, workflowId: _w, ...inherited } = parent;
  const values = {
    ...inherited,
    id,
    parentBuildId: parent.id,
    subproject,
    ...freshBuildState,
    workflowId: buildWorkflowId(id),
  };
  const firstLine = `${triggerLine(parent)}: sub-project ${subproject} of build ${parent.id}`;
  return (await recordBuild(db, values, firstLine)).build;
}

/** Builds of a parent, by sub-project name. */
export async function listChildBuilds(db: Database, parentIds: string[]): Promise<BuildRow[]> {
  if (parentIds.length === 0) return [];
  return db.select().from(builds).where(inArray(builds.parentBuildId, parentIds));
}
