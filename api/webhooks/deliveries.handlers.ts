import { and, count, desc, eq } from 'drizzle-orm';
import { webhookDeliveries } from '../../db/schema';
import { requireRole } from '../auth';
import type { AppDeps } from '../deps';
import { apiError, found } from '../errors';
import type { AppRouteHandler } from '../openapi';
import { loadVisibleService } from '../services/load-service';
import type * as routes from './deliveries.routes';
import { summarizeDelivery } from './delivery-summary';
import { findServiceById } from './find-services';
import { createWebhookIntake } from './intake';

type Row = typeof webhookDeliveries.$inferSelect;
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

/** Handlers for a service's webhook deliveries: list, detail, redeliver. */
export function createDeliveryHandlers(deps: AppDeps) {
  const { db } = deps;
  const intake = createWebhookIntake(deps);
  const loadDelivery = async (serviceId: string, deliveryId: string) => {
    const [row] = await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.serviceId, serviceId)));
    return found(row, `Delivery ${deliveryId}`);
  };
  const listDeliveries: AppRouteHandler<typeof routes.listDeliveries> = async (c) => {
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
  const getDelivery: AppRouteHandler<typeof routes.getDelivery> = async (c) => {
    const { id, deliveryId } = c.req.valid('param');
    const service = await loadVisibleService(db, c.get('user'), id);
    const row = await loadDelivery(service.id, deliveryId);
    return c.json({ ...view(row), headers: row.headers, payload: row.payload }, 200);
  };
  const redeliver: AppRouteHandler<typeof routes.redeliver> = async (c) => {
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
  return { listDeliveries, getDelivery, redeliver };
}
