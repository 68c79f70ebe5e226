import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { autoCiSettings, services } from '../../db/schema';
import type { ProjectRef } from './delivery-event';

/** A service a delivery may be for, with its Auto CI settings. */
export type WebhookService = typeof services.$inferSelect & { settings: typeof autoCiSettings.$inferSelect | null };

/** Services registered for a provider project, matched by numeric id or by path (case-insensitive). */
export async function findServicesForProject(
  db: Database,
  provider: 'gitlab' | 'github',
  project: ProjectRef,
): Promise<WebhookService[]> {
  const matches: SQL[] = [];
  if (project.id) matches.push(eq(services.projectId, project.id));
  if (project.path) matches.push(eq(services.projectPath, project.path.toLowerCase()));
  if (matches.length === 0) return [];
  const rows = await db
    .select({ service: services, settings: autoCiSettings })
    .from(services)
    .leftJoin(autoCiSettings, eq(autoCiSettings.serviceId, services.id))
    .where(and(eq(services.gitProvider, provider), or(...matches)))
    .orderBy(sql`${services.createdAt}`);
  return rows.map((row) => ({ ...row.service, settings: row.settings }));
}

/** One service by id with its settings (redelivery). */
export async function findServiceById(db: Database, serviceId: string): Promise<WebhookService | undefined> {
  const [row] = await db
    .select({ service: services, settings: autoCiSettings })
    .from(services)
    .leftJoin(autoCiSettings, eq(autoCiSettings.serviceId, services.id))
    .where(eq(services.id, serviceId));
  return row ? { ...row.service, settings: row.settings } : undefined;
}
