import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { webhookDeliveries } from '../../db/schema';
import type { IncomingDelivery } from './read-delivery';
import { bodyBytes, storableHeaders } from './read-delivery';

/** How one delivery ended, for its "Recent deliveries" rows. */
export interface DeliveryRecord {
  delivery: IncomingDelivery;
  event?: string;
  deliveryId: string;
  statusCode: number;
  response: Record<string, unknown>;
  /** One row per service involved (with its build); `[{}]` records a delivery no service could be tied to. */
  services: { serviceId?: string; buildId?: string }[];
  /** Raw payload is kept only for authenticated deliveries (so admins can redeliver them). */
  keepPayload: boolean;
  redeliveryOf?: string;
  durationMs: number;
}

/** Writes the delivery rows and returns their ids (in `services` order). */
export async function recordDelivery(db: Database, record: DeliveryRecord): Promise<string[]> {
  const { delivery } = record;
  const payload = record.keepPayload ? Buffer.from(delivery.rawBody).toString('utf8') : null;
  const rows = (record.services.length > 0 ? record.services : [{}]).map((service) => ({
    provider: delivery.provider,
    event: record.event ?? null,
    deliveryId: record.deliveryId,
    serviceId: service.serviceId ?? null,
    buildId: service.buildId ?? null,
    statusCode: record.statusCode,
    response: record.response,
    headers: storableHeaders(delivery.headers),
    payload,
    payloadBytes: bodyBytes(delivery),
    redeliveryOf: record.redeliveryOf ?? null,
    durationMs: record.durationMs,
  }));
  const inserted = await db.insert(webhookDeliveries).values(rows).returning({ id: webhookDeliveries.id });
  return inserted.map((row) => row.id);
}

/** Replaces the outcome of recorded delivery rows (a build that was recorded but could not be started). */
export async function updateDeliveryOutcome(
  db: Database,
  ids: string[],
  outcome: { statusCode: number; response: Record<string, unknown> },
): Promise<void> {
  if (ids.length === 0) return;
  await db.update(webhookDeliveries).set(outcome).where(inArray(webhookDeliveries.id, ids));
}
