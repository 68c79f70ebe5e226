import { createRoute, z } from '@hono/zod-openapi';
import type { RouteHandler } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { builds } from '../../db/schema';
import type { AppDeps, AppEnv } from '../deps';
import { apiError } from '../errors';
import { bearerSecurity, commonErrors, createRouter, errorSchema, jsonResponse, uuidParam } from '../openapi';
import { visibleTo, withinReach } from '../scope';
import { describeHistory } from './workflow-history';

const eventSchema = z
  .object({
    id: z.number(),
    type: z.string().openapi({ example: 'ActivityTaskScheduled' }),
    time: z.string().nullable(),
    name: z.string().nullable().openapi({ description: 'Activity type, child workflow type, timer or signal' }),
    failure: z.string().nullable(),
  })
  .openapi('WorkflowEvent');
const historyRoute = createRoute({
  method: 'get',
  path: '/builds/{id}/workflow-history',
  tags: ['Builds'],
  security: bearerSecurity,
  summary:
    "The build workflow's event history read through the Temporal client, for Kiln without a Temporal Web UI (member)",
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(z.object({ workflowId: z.string(), events: z.array(eventSchema) }), 'Events, oldest first'),
    ...commonErrors,
    503: jsonResponse(errorSchema, 'Temporal did not answer'),
  },
});

/** `GET /builds/{id}/workflow-history`; mount with `.route('/', workflowHistoryRouter(deps))`. */
export function workflowHistoryRouter({ db, temporal }: AppDeps) {
  const history: RouteHandler<typeof historyRoute, AppEnv> = async (c) => {
    const user = c.get('user');
    const { id } = c.req.valid('param');
    const [row] = await db
      .select()
      .from(builds)
      .where(visibleTo(user, builds.organizationId, eq(builds.id, id)));
    const build = withinReach(user, row, `Build ${id}`);
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
  return createRouter().openapi(historyRoute, history);
}
