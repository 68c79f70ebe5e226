import { and, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client';
import { services, type builds, type clusters, type gitProviders, type registries } from '../db/schema';
import { noteOrganization } from './audit';
import { canSee } from './auth';
import { apiError } from './errors';
import type { AuthUser } from './deps';

/** The filter that limits a query to what the caller may see: instance admins everything, others their org. */
export function visibleTo(user: AuthUser, organizationColumn: PgColumn, extra?: SQL): SQL | undefined {
  if (user.role === 'instance_admin') return extra;
  return and(eq(organizationColumn, user.organizationId), extra);
}

/**
 * List filter: everyone but instance admins sees their own organization (naming another answers 404, as if it
 * did not exist); instance admins all, or the `organizationId` they ask for (audited when not their own).
 */
export function listScope(user: AuthUser, organizationColumn: PgColumn, organizationId?: string): SQL | undefined {
  if (organizationId && !canSee(user, organizationId)) throw apiError(404, `Organization ${organizationId} not found.`);
  if (user.role !== 'instance_admin') return eq(organizationColumn, user.organizationId);
  if (!organizationId) return undefined;
  noteOrganization(user, organizationId);
  return eq(organizationColumn, organizationId);
}

/**
 * The object when the caller may reach it, else 404 (other organizations' objects look absent). Every lookup by
 * id goes through here, which is also what records an instance admin's cross-organization action.
 */
export function withinReach<T extends { organizationId: string }>(
  user: AuthUser,
  row: T | undefined | null,
  what: string,
): T {
  if (!row || !canSee(user, row.organizationId)) throw apiError(404, `${what} not found.`);
  noteOrganization(user, row.organizationId);
  return row;
}

/** 409 when services still point at the registry/cluster being deleted, naming them so the user can fix it. */
export async function refuseWhileUsed(db: Database, column: PgColumn, id: string, what: string): Promise<void> {
  const users = await db.select({ name: services.name }).from(services).where(eq(column, id)).limit(10);
  if (users.length === 0) return;
  const names = users.map((u) => u.name).join(', ');
  throw apiError(409, `This ${what} is used by service(s) ${names}; point them elsewhere before deleting it.`);
}

/** Tables of objects that belong to one organization and are looked up by id. */
type OwnedTable = typeof builds | typeof clusters | typeof gitProviders | typeof registries | typeof services;

/** The row with this id when the caller may reach it, else 404 naming `what` (e.g. "Registry <id> not found."). */
export async function loadVisible<T extends OwnedTable>(
  db: Database,
  table: T,
  user: AuthUser,
  id: string,
  what: string,
): Promise<T['$inferSelect']> {
  const [row] = await db
    .select()
    .from(table as OwnedTable)
    .where(visibleTo(user, table.organizationId, eq(table.id, id)));
  return withinReach(user, row as T['$inferSelect'] | undefined, `${what} ${id}`);
}
