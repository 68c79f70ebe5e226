import { and, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { AuthUser } from './deps';

/** The filter that limits a query to what the caller may see: admins everything, members their organization. */
export function visibleTo(user: AuthUser, organizationColumn: PgColumn, extra?: SQL): SQL | undefined {
  if (user.role === 'admin') return extra;
  return and(eq(organizationColumn, user.organizationId), extra);
}

/** List filter: members always their organization; admins an optional `organizationId` query. */
export function listScope(user: AuthUser, organizationColumn: PgColumn, organizationId?: string): SQL | undefined {
  if (user.role === 'admin') return organizationId ? eq(organizationColumn, organizationId) : undefined;
  return eq(organizationColumn, user.organizationId);
}
