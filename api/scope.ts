import { and, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client';
import { services } from '../db/schema';
import { apiError } from './errors';
import type { AuthUser } from './deps';

/** The filter that limits a query to what the caller may see: admins everything, members their organization. */
export function visibleTo(user: AuthUser, organizationColumn: PgColumn, extra?: SQL): SQL | undefined {
  if (user.role === 'instance_admin') return extra;
  return and(eq(organizationColumn, user.organizationId), extra);
}

/** List filter: members always their organization; admins an optional `organizationId` query. */
export function listScope(user: AuthUser, organizationColumn: PgColumn, organizationId?: string): SQL | undefined {
  if (user.role === 'instance_admin') return organizationId ? eq(organizationColumn, organizationId) : undefined;
  return eq(organizationColumn, user.organizationId);
}

/** 409 when services still point at the registry/cluster being deleted, naming them so the user can fix it. */
export async function refuseWhileUsed(db: Database, column: PgColumn, id: string, what: string): Promise<void> {
  const users = await db.select({ name: services.name }).from(services).where(eq(column, id)).limit(10);
  if (users.length === 0) return;
  const names = users.map((u) => u.name).join(', ');
  throw apiError(409, `This ${what} is used by service(s) ${names}; point them elsewhere before deleting it.`);
}
