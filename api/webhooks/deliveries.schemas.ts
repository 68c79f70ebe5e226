import { z } from '@hono/zod-openapi';
import { uuidParam } from '../openapi';

/** A recorded webhook delivery. */
export const deliverySchema = z
  .object({
    id: z.string().uuid(),
    provider: z.enum(['gitlab', 'github']),
    event: z.string().nullable(),
    deliveryId: z.string().nullable(),
    statusCode: z.number(),
    response: z.record(z.string(), z.unknown()),
    buildId: z.string().nullable(),
    redeliveryOf: z.string().nullable(),
    payloadBytes: z.number(),
    canRedeliver: z.boolean(),
    durationMs: z.number(),
    createdAt: z.string(),
    ref: z.string().nullable().openapi({ description: 'Branch or tag the delivery was about (authenticated ones)' }),
    sha: z.string().nullable().openapi({ description: 'Commit the delivery was about (authenticated ones)' }),
  })
  .openapi('WebhookDelivery');

/** A delivery with its kept headers and payload. */
export const deliveryDetailSchema = deliverySchema
  .extend({ headers: z.record(z.string(), z.string()), payload: z.string().nullable() })
  .openapi('WebhookDeliveryDetail');

/** One page of deliveries with the total. */
export const deliveryPageSchema = z.object({
  items: z.array(deliverySchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

/** The service id and delivery id path parameters. */
export const deliveryParams = uuidParam.extend({
  deliveryId: z
    .string()
    .uuid()
    .openapi({ param: { name: 'deliveryId', in: 'path' } }),
});

/** The delivery list's paging. */
export const deliveriesQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
