import { WorkflowNotFoundError } from '@temporalio/client';
import { builds } from '../../db/schema';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import type { AppRouteHandler } from '../openapi';
import { loadVisible } from '../scope';
import { describeHistory } from './workflow-history';
import type * as routes from './workflow-history.routes';

/** Handler of `GET /builds/{id}/workflow-history`: the build workflow's events, read through the Temporal client. */
export function createWorkflowHistoryHandlers({ db, temporal }: AppDeps) {
  const getWorkflowHistory: AppRouteHandler<typeof routes.getWorkflowHistory> = async (c) => {
    const user = c.get('user');
    const { id } = c.req.valid('param');
    const build = await loadVisible(db, builds, user, id, 'Build');
    try {
      const { events } = await temporal.workflow.getHandle(build.workflowId).fetchHistory();
      return c.json({ workflowId: build.workflowId, events: describeHistory(events ?? []) }, 200);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        throw apiError(
          404,
          `Workflow ${build.workflowId} of build ${id} is not in Temporal (not started yet, or past retention).`,
        );
      }
      throw apiError(503, `Temporal did not return the history of ${build.workflowId}: ${(error as Error).message}`);
    }
  };
  return { getWorkflowHistory };
}
