import { z } from '@hono/zod-openapi';

/** What Kiln answers a webhook delivery. */
export const webhookResultSchema = z
  .object({
    message: z.string(),
    reason: z.string().optional(),
    builds: z
      .array(
        z.object({
          serviceId: z.string(),
          service: z.string(),
          buildId: z.string(),
          workflowId: z.string(),
          duplicate: z.boolean(),
        }),
      )
      .optional(),
    skipped: z
      .array(z.object({ serviceId: z.string(), service: z.string(), reason: z.string(), message: z.string() }))
      .optional(),
    cancelled: z
      .array(z.object({ serviceId: z.string(), service: z.string(), buildId: z.string() }))
      .optional()
      .openapi({
        description:
          'A closed pull request, or a closed or merged merge request: its running builds, cancelled (reason ' +
          '`pull_request_closed` / `merge_request_closed`)',
      }),
  })
  .openapi('WebhookResult');

/** The answer to a webhook delivery. */
export type WebhookResult = z.infer<typeof webhookResultSchema>;
