import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import type { detectServiceWorkflow } from '../../workflows/detect';
import { BUILD_TASK_QUEUE } from '../../workflows/names';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import type { AppRouteHandler } from '../openapi';
import type * as routes from './detect.routes';
import { detectInput } from './detect.schemas';
import { loadVisibleService } from './load-service';

/** `POST /services/{id}/detect`: runs detection as a short workflow on a worker and waits for its answer. */
export function createDetectHandlers({ db, temporal }: AppDeps) {
  const detectService: AppRouteHandler<typeof routes.detectService> = async (c) => {
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
  return { detectService };
}
