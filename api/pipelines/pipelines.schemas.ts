import { z } from '@hono/zod-openapi';
import { gitRefName } from '../git-ref.schemas';
import { pipelineStatusLabels } from '../../clients/git-providers/pipeline-view';
import { processStreams } from '../../domain/log-stream';

const status = z
  .enum(pipelineStatusLabels)
  .openapi({ description: 'Success, Failed, Running, Pending, Canceled (also Skipped, Manual)' });

/** A GitLab pipeline as the Pipelines tab shows it. */
export const pipelineSchema = z
  .object({
    id: z.number().int(),
    iid: z.number().int().nullable(),
    status,
    gitlabStatus: z.string().openapi({ description: "GitLab's own status (e.g. waiting_for_resource)" }),
    ref: z.string(),
    sha: z.string(),
    shortSha: z.string(),
    source: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string().nullable(),
    webUrl: z.string().openapi({ description: "The pipeline's page in GitLab (View in GitLab)" }),
    canCancel: z.boolean(),
    canRetry: z.boolean(),
  })
  .openapi('Pipeline');

/** GitLab's offset pagination. */
export const paginationSchema = z
  .object({
    page: z.number().int(),
    perPage: z.number().int(),
    total: z.number().int().nullable().openapi({ description: 'Null when GitLab does not count (over 10,000)' }),
    totalPages: z.number().int().nullable(),
    nextPage: z.number().int().nullable(),
  })
  .openapi('Pagination');

/** A page of pipelines, or why the service has none to show. */
export const pipelineListSchema = z
  .discriminatedUnion('linked', [
    z.object({
      linked: z.literal(true),
      projectPath: z.string(),
      items: z.array(pipelineSchema),
      pagination: paginationSchema,
    }),
    z.object({
      linked: z.literal(false),
      reason: z.enum(['not-gitlab', 'no-token', 'plain-git']),
      message: z.string().openapi({ description: 'How to connect a GitLab project; show it as the tab prompt' }),
    }),
  ])
  .openapi('PipelineList');

const jobSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    stage: z.string(),
    status,
    gitlabStatus: z.string(),
    allowFailure: z.boolean(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    durationSeconds: z.number().nullable(),
    failureReason: z.string().nullable(),
    webUrl: z.string(),
  })
  .openapi('PipelineJob');

/** A pipeline with its stages and jobs. */
export const pipelineDetailSchema = z
  .object({
    pipeline: pipelineSchema,
    stages: z.array(z.object({ name: z.string(), status, jobs: z.array(jobSchema) })),
  })
  .openapi('PipelineDetail');

/** A job with its parsed log. */
export const jobLogSchema = z
  .object({
    job: jobSchema,
    lines: z.array(
      z.object({
        n: z.number().int(),
        text: z.string().openapi({ description: 'Raw text with ANSI colour sequences kept' }),
        stream: z.enum(processStreams),
        section: z.string().nullable(),
      }),
    ),
    sections: z.array(
      z.object({
        name: z.string(),
        header: z.string(),
        startLine: z.number().int(),
        endLine: z.number().int().nullable(),
        durationSeconds: z.number().nullable(),
        collapsed: z.boolean(),
        parent: z.string().nullable(),
      }),
    ),
    totalLines: z.number().int(),
    truncated: z.boolean(),
    streamDetection: z.literal('heuristic').openapi({
      description:
        'GitLab traces merge stdout and stderr; lines are marked stderr when red or prefixed ERROR:/FATAL:, not by their real stream',
    }),
  })
  .openapi('JobLog');

// Branch and tag names as git allows them: the one rule in domain/git-ref.ts.
const gitRef = gitRefName;

/** The body that starts a pipeline: a ref and variables. */
export const runPipelineInput = z
  .object({
    ref: gitRef.openapi({ example: 'main' }),
    variables: z
      .array(z.object({ key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), value: z.string().max(10_000) }))
      .max(50)
      .optional(),
  })
  .openapi('RunPipeline');

/** The pipeline list's paging and ref filter. */
export const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  perPage: z.coerce.number().int().min(1).max(100).default(20),
  ref: gitRef.optional(),
});

/** The service id and pipeline id path parameters. */
export const pipelineParams = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' } }),
  pipelineId: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'pipelineId', in: 'path' } }),
});

/** The service id and job id path parameters. */
export const jobParams = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' } }),
  jobId: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'jobId', in: 'path' } }),
});

/** How many lines of a job log to return. */
export const logQuery = z.object({ maxLines: z.coerce.number().int().min(1).max(50_000).default(10_000) });
