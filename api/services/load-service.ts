import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { clusters, registries, services } from '../../db/schema';
import type { AuthUser } from '../deps';
import { apiError } from '../errors';
import { loadVisible } from '../scope';
import { deployNamespaceOf, namespaceRefusal } from '../../domain/deploy-namespace';

export type ServiceRow = typeof services.$inferSelect;

/** A service the caller may see, or 404 (other organizations' services look absent). */
export function loadVisibleService(db: Database, user: AuthUser, id: string): Promise<ServiceRow> {
  return loadVisible(db, services, user, id, 'Service');
}

/**
 * Checks that a referenced registry/cluster exists in the service's organization, and that an in-cluster cluster
 * allows the namespace the service would deploy to (`refs.name` and `refs.deployNamespace` as they will be).
 */
export async function checkReferences(
  db: Database,
  organizationId: string,
  refs: { registryId?: string | null; clusterId?: string | null; name: string; deployNamespace?: string | null },
): Promise<void> {
  if (refs.registryId) {
    const [row] = await db
      .select({ id: registries.id })
      .from(registries)
      .where(and(eq(registries.id, refs.registryId), eq(registries.organizationId, organizationId)));
    if (!row) throw apiError(400, `Registry ${refs.registryId} does not exist in this organization.`);
  }
  if (refs.clusterId) {
    const [row] = await db
      .select()
      .from(clusters)
      .where(and(eq(clusters.id, refs.clusterId), eq(clusters.organizationId, organizationId)));
    if (!row) throw apiError(400, `Cluster ${refs.clusterId} does not exist in this organization.`);
    const refusal = namespaceRefusal(
      row,
      deployNamespaceOf({ name: refs.name, deployNamespace: refs.deployNamespace ?? null }),
    );
    if (refusal) throw apiError(400, refusal);
  }
}

/** The API view of a service (no secrets). */
export function serviceView(row: ServiceRow, autoCiEnabled: boolean) {
  const { webhookSecretEnc: _secret, webhookSecretRotatedAt: _rotated, createdAt, updatedAt, ...rest } = row;
  return {
    ...rest,
    deployNamespace: deployNamespaceOf(row),
    autoCiEnabled,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}
