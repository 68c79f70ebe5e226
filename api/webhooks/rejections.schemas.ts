import { z } from '@hono/zod-openapi';

/** A rejected delivery as the API shows it. */
export const rejectionSchema = z
  .object({
    id: z.string().uuid(),
    provider: z.enum(['gitlab', 'github']),
    organizationId: z.string().uuid().nullable(),
    event: z.string().nullable(),
    repository: z.string().nullable(),
    reason: z.string().openapi({
      description:
        'unknown_repository, invalid_secret, stale_signature, malformed, missing_event, too_large; rate_limited ' +
        'rows say in headers["not-recorded"] how many rejections over the rate limit were counted but not stored',
    }),
    headers: z.record(z.string(), z.string()),
    createdAt: z.string(),
  })
  .openapi('WebhookRejection');

/** One page of rejections with the total. */
export const rejectionPageSchema = z.object({
  items: z.array(rejectionSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

/** The rejection list's paging. */
export const rejectionsQuery = z.object({
  organizationId: z.string().uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
