import { count, desc } from 'drizzle-orm';
import { webhookRejections } from '../../db/schema';
import { requireRole } from '../auth';
import type { AppDeps } from '../deps';
import type { AppRouteHandler } from '../openapi';
import { listScope } from '../scope';
import type * as routes from './rejections.routes';

type Row = typeof webhookRejections.$inferSelect;
const view = (row: Row) => ({ ...row, createdAt: row.createdAt.toISOString() });

/** Handler of `GET /webhook-rejections`. */
export function createRejectionHandlers({ db }: AppDeps) {
  const listWebhookRejections: AppRouteHandler<typeof routes.listWebhookRejections> = async (c) => {
    const user = c.get('user');
    requireRole(user, 'org_admin', 'see rejected webhook deliveries');
    const { organizationId, page, pageSize } = c.req.valid('query');
    const where = listScope(user, webhookRejections.organizationId, organizationId);
    const rows = await db
      .select()
      .from(webhookRejections)
      .where(where)
      .orderBy(desc(webhookRejections.createdAt), desc(webhookRejections.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    const [total] = await db.select({ n: count() }).from(webhookRejections).where(where);
    return c.json({ items: rows.map(view), total: total?.n ?? 0, page, pageSize }, 200);
  };
  return { listWebhookRejections };
}
