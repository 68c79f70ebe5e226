import { desc } from 'drizzle-orm';
import { auditEvents } from '../../db/schema';
import { requireRole } from '../auth';
import type { AppDeps } from '../deps';
import type { AppRouteHandler } from '../openapi';
import { listScope } from '../scope';
import type * as routes from './audit-events.routes';

type Row = typeof auditEvents.$inferSelect;
const view = ({ createdAt, ...rest }: Row) => ({ ...rest, createdAt: createdAt.toISOString() });

/** Handlers for `/audit-events`. */
export function createAuditEventHandlers({ db }: AppDeps) {
  const listAuditEvents: AppRouteHandler<typeof routes.listAuditEvents> = async (c) => {
    const user = c.get('user');
    requireRole(user, 'org_admin', 'read the audit log');
    const { organizationId, limit } = c.req.valid('query');
    const rows = await db
      .select()
      .from(auditEvents)
      .where(listScope(user, auditEvents.organizationId, organizationId))
      .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
      .limit(limit);
    return c.json({ items: rows.map(view) }, 200);
  };
  return { listAuditEvents };
}
