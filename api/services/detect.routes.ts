import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { RouteHandler } from '@hono/zod-openapi';
import { WorkflowFailedError } from '@temporalio/client';
import type { detectServiceWorkflow } from '../../workflows/detect';
import { BUILD_TASK_QUEUE } from '../../workflows/names';
import type { AppDeps, AppEnv } from '../deps';
import { apiError } from '../errors';
import { bearerSecurity, commonErrors, createRouter, errorSchema, jsonResponse, uuidParam } from '../openapi';
import { loadVisibleService } from './load-service';

const language = z.string().nullable();
const subprojectSchema = z.object({
  name: z.string(),
  path: z.string(),
  dockerfilePath: z.string().nullable(),
  language,
  framework: z.string().nullable(),
});

const detectionSchema = z
  .object({
    ref: z.string(),
    sha: z.string(),
    language,
    framework: z.string().nullable(),
    packageManager: z.string().nullable(),
    buildType: z.enum(['single', 'mono']),
    typescript: z.boolean(),
    dockerfilePath: z.string().nullable(),
    subprojects: z.array(subprojectSchema),
  })
  .openapi('Detection');

const detectInput = z.object({
  branch: z.string().trim().min(1).optional().openapi({ description: "Defaults to the service's default branch" }),
});

const detectRoute = createRoute({
  tags: ['Services'],
  security: bearerSecurity,
  method: 'post',
  path: '/{id}/detect',
  summary:
    'Detect language, framework, package manager, Dockerfile and monorepo sub-projects of the repository (member)',
  request: { params: uuidParam, body: { content: { 'application/json': { schema: detectInput } }, required: false } },
  responses: {
    200: jsonResponse(detectionSchema, 'What the repository is'),
    ...commonErrors,
    422: jsonResponse(errorSchema, 'The repository could not be read (clone failed, unknown branch)'),
  },
});

/** `POST /services/{id}/detect`: runs detection as a short workflow on a worker and waits for its answer. */
export function detectRouter({ db, temporal }: AppDeps) {
  const detect: RouteHandler<typeof detectRoute, AppEnv> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const body = await c.req.json().catch(() => ({}));
    const parsed = detectInput.safeParse(body ?? {});
    if (!parsed.success) throw apiError(400, 'Invalid request: branch must be a non-empty string.');
    try {
      const result = await temporal.workflow.execute<typeof detectServiceWorkflow>('detectServiceWorkflow', {
        taskQueue: BUILD_TASK_QUEUE,
        workflowId: `detect-${service.id}-${randomUUID()}`,
        args: [{ serviceId: service.id, branch: parsed.data.branch }],
        workflowExecutionTimeout: '5 minutes',
      });
      return c.json(result, 200);
    } catch (error) {
      if (error instanceof WorkflowFailedError) {
        const cause = (error.cause?.cause ?? error.cause) as Error | undefined;
        throw apiError(422, cause?.message ?? 'Detection failed; see the worker log.');
      }
      throw error;
    }
  };
  return createRouter().openapi(detectRoute, detect);
}
