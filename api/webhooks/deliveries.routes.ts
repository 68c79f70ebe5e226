import { createRoute, z } from '@hono/zod-openapi';
import type { RouteHandler } from '@hono/zod-openapi';
import { and, count, desc, eq } from 'drizzle-orm';
import { webhookDeliveries } from '../../db/schema';
import { requireRole } from '../auth';
import type { AppDeps, AppEnv } from '../deps';
import { apiError, found } from '../errors';
import { bearerSecurity, commonErrors, createRouter, jsonResponse, uuidParam } from '../openapi';
import { loadVisibleService } from '../services/load-service';
import { findServiceById } from './find-services';
import { createWebhookIntake } from './intake';
import { summarizeDelivery } from './delivery-summary';

type Row = typeof webhookDeliveries.$inferSelect;
const deliverySchema = z
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
const deliveryDetailSchema = deliverySchema
  .extend({ headers: z.record(z.string(), z.string()), payload: z.string().nullable() })
  .openapi('WebhookDeliveryDetail');
const view = (row: Row) => ({
  id: row.id,
  provider: row.provider,
  event: row.event,
  deliveryId: row.deliveryId,
  statusCode: row.statusCode,
  response: row.response,
  buildId: row.buildId,
  redeliveryOf: row.redeliveryOf,
  payloadBytes: row.payloadBytes,
  canRedeliver: row.payload !== null,
  durationMs: row.durationMs,
  createdAt: row.createdAt.toISOString(),
  ...summarizeDelivery(row.payload),
});
const deliveryParams = uuidParam.extend({
  deliveryId: z
    .string()
    .uuid()
    .openapi({ param: { name: 'deliveryId', in: 'path' } }),
});
const page = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

const base = { tags: ['Webhooks'], security: bearerSecurity };
const listRoute = createRoute({
  ...base,
  method: 'get',
  path: '/{id}/webhook/deliveries',
  summary: "The service's recent webhook deliveries, newest first, like the providers' Recent Deliveries (member)",
  request: { params: uuidParam, query: page },
  responses: {
    200: jsonResponse(
      z.object({ items: z.array(deliverySchema), total: z.number(), page: z.number(), pageSize: z.number() }),
      'Deliveries',
    ),
    ...commonErrors,
  },
});
const getRoute = createRoute({
  ...base,
  method: 'get',
  path: '/{id}/webhook/deliveries/{deliveryId}',
  summary: 'One delivery with its headers (no secrets) and payload (member)',
  request: { params: deliveryParams },
  responses: { 200: jsonResponse(deliveryDetailSchema, 'Delivery'), ...commonErrors },
});
const redeliverRoute = createRoute({
  ...base,
  method: 'post',
  path: '/{id}/webhook/deliveries/{deliveryId}/redeliver',
  summary:
    'Process a stored delivery again with the same delivery id (organization admin); an already started build is reused',
  request: { params: deliveryParams },
  responses: {
    200: jsonResponse(deliverySchema, 'The new delivery record'),
    409: jsonResponse(z.object({}), 'No payload'),
    ...commonErrors,
  },
});

/** `/services/{id}/webhook/deliveries` router. */
export function deliveriesRouter(deps: AppDeps) {
  const { db } = deps;
  const intake = createWebhookIntake(deps);
  const loadDelivery = async (serviceId: string, deliveryId: string) => {
    const [row] = await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.serviceId, serviceId)));
    return found(row, `Delivery ${deliveryId}`);
  };
  const list: RouteHandler<typeof listRoute, AppEnv> = async (c) => {
    const service = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const { page: p, pageSize } = c.req.valid('query');
    const where = eq(webhookDeliveries.serviceId, service.id);
    const rows = await db
      .select()
      .from(webhookDeliveries)
      .where(where)
      .orderBy(desc(webhookDeliveries.createdAt))
      .limit(pageSize)
      .offset((p - 1) * pageSize);
    const [total] = await db.select({ n: count() }).from(webhookDeliveries).where(where);
    return c.json({ items: rows.map(view), total: total?.n ?? 0, page: p, pageSize }, 200);
  };
  const get: RouteHandler<typeof getRoute, AppEnv> = async (c) => {
    const { id, deliveryId } = c.req.valid('param');
    const service = await loadVisibleService(db, c.get('user'), id);
    const row = await loadDelivery(service.id, deliveryId);
    return c.json({ ...view(row), headers: row.headers, payload: row.payload }, 200);
  };
  const redeliver: RouteHandler<typeof redeliverRoute, AppEnv> = async (c) => {
    const { id, deliveryId } = c.req.valid('param');
    const service = await loadVisibleService(db, c.get('user'), id);
    requireRole(c.get('user'), 'org_admin', 'redeliver webhooks');
    const row = await loadDelivery(service.id, deliveryId);
    if (row.payload === null)
      throw apiError(409, 'This delivery was rejected, so its payload was not kept; send it again from the provider.');
    const target = found(await findServiceById(db, service.id), `Service ${service.id}`);
    const delivery = {
      provider: row.provider,
      headers: row.headers,
      rawBody: new Uint8Array(Buffer.from(row.payload, 'utf8')),
    };
    const result = await intake.redeliver(delivery, target, row);
    const [created] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, result.recordIds[0]!));
    return c.json(view(created!), 200);
  };
  return createRouter().openapi(listRoute, list).openapi(getRoute, get).openapi(redeliverRoute, redeliver);
}
