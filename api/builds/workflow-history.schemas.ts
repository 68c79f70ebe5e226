import { z } from '@hono/zod-openapi';

/** One event of a workflow history, as Kiln describes it. */
export const workflowEventSchema = z
  .object({
    id: z.number(),
    type: z.string().openapi({ example: 'ActivityTaskScheduled' }),
    time: z.string().nullable(),
    name: z.string().nullable().openapi({ description: 'Activity type, child workflow type, timer or signal' }),
    failure: z.string().nullable(),
  })
  .openapi('WorkflowEvent');

/** A build workflow's id and its events. */
export const workflowHistorySchema = z.object({ workflowId: z.string(), events: z.array(workflowEventSchema) });
