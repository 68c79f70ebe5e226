import { z } from '@hono/zod-openapi';
import { type builds } from '../../db/schema';
import { commitSha, gitRefName } from '../git-ref.schemas';
import { buildStatuses } from '../../domain/build-status';
import { buildEvents, buildTriggers } from '../../domain/build-trigger';

/** A build as the API shows it. */
export const buildSchema = z
  .object({
    id: z.string().uuid(),
    serviceId: z.string().uuid(),
    serviceName: z.string(),
    parentBuildId: z.string().uuid().nullable(),
    subproject: z.string().nullable(),
    trigger: z.enum(buildTriggers),
    event: z.enum(buildEvents),
    provider: z.string().nullable(),
    deliveryId: z.string().nullable(),
    ref: z.string(),
    branch: z.string().nullable(),
    tag: z.string().nullable(),
    mergeRequestIid: z.number().nullable().openapi({
      description: 'Merge request builds: tagged `mr-<iid>` and the sha (never a branch name), never deployed',
    }),
    pullRequestNumber: z
      .number()
      .nullable()
      .openapi({
        description:
          'GitHub pull request builds (event `pull_request`, ref `refs/pull/<n>/head`, branch = head branch): tagged ' +
          '`pr-<n>` and the sha (never a branch name), never deployed',
      }),
    sha: z.string().nullable(),
    commitMessage: z.string().nullable(),
    commitAuthor: z.string().nullable(),
    status: z.enum(buildStatuses),
    progress: z.number().openapi({ description: '0–100' }),
    currentStep: z.string(),
    error: z.string().nullable(),
    errorType: z.string().nullable(),
    images: z.array(z.string()),
    digest: z.string().nullable(),
    digests: z.record(z.string(), z.string()),
    workflowId: z.string(),
    retryOfBuildId: z.string().uuid().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().nullable().openapi({ description: 'Elapsed so far while running' }),
    temporalUrl: z.string().nullable(),
  })
  .openapi('Build');

/** The build list's filters and paging. */
export const buildListQuery = z.object({
  serviceId: z.string().uuid().optional(),
  status: z.enum(buildStatuses).optional(),
  branch: z.string().optional(),
  trigger: z.enum(buildTriggers).optional(),
  event: z.enum(buildEvents).optional(),
  /** Top-level builds only by default; monorepo children are listed under their parent. */
  includeChildren: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** One page of builds with the total. */
export const buildPage = z
  .object({ items: z.array(buildSchema), total: z.number(), page: z.number(), pageSize: z.number() })
  .openapi('BuildPage');

/** The optional body of a manual build: which branch or commit. */
export const triggerInput = z
  .object({
    branch: gitRefName.optional().openapi({ description: "Defaults to the service's default branch (main)" }),
    sha: commitSha.optional(),
  })
  .default({});

/** A build with its monorepo sub-project builds. */
export const buildDetailSchema = buildSchema.extend({ children: z.array(buildSchema) });

/** Body of `POST /builds/{id}/cancel` (optional). */
export const cancelInput = z.object({ reason: z.string().max(500).optional() });
/** The answer to a cancel: the workflow was asked to stop. */
export const cancellingSchema = z.object({ status: z.literal('cancelling') });

type Row = typeof builds.$inferSelect;

/** The API view of a build row. */
export function buildView(row: Row, serviceName: string, now: Date, temporalUiUrl?: string, namespace = 'default') {
  const running = row.startedAt && !row.finishedAt ? now.getTime() - row.startedAt.getTime() : null;
  return {
    ...row,
    serviceName,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs: row.durationMs ?? running,
    temporalUrl: temporalUiUrl
      ? `${temporalUiUrl.replace(/\/+$/, '')}/namespaces/${namespace}/workflows/${encodeURIComponent(row.workflowId)}`
      : null,
  };
}
