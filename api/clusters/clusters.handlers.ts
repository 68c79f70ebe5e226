import { eq } from 'drizzle-orm';
import type { SecretCipher } from '../../db/crypto';
import { clusters, services } from '../../db/schema';
import { organizationForCreate, requireClusterRole, requireRole } from '../auth';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import { listScope, loadVisible, refuseWhileUsed } from '../scope';
import type { AppRouteHandler } from '../openapi';
import type * as routes from './clusters.routes';
import { inspectKubeconfig } from './kubeconfig';

type Row = typeof clusters.$inferSelect;
const view = (row: Row, cipher: SecretCipher) => ({
  id: row.id,
  organizationId: row.organizationId,
  name: row.name,
  mode: row.mode,
  context: row.context,
  server: row.kubeconfigEnc
    ? (inspectKubeconfig(cipher.decrypt(row.kubeconfigEnc), row.context ?? undefined).server ?? null)
    : null,
  hasKubeconfig: row.kubeconfigEnc != null,
  namespaces: row.namespaces,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

function checkKubeconfig(kubeconfig: string, context?: string | null) {
  const { error } = inspectKubeconfig(kubeconfig, context ?? undefined);
  if (error) throw apiError(400, error);
}

/** Handlers for `/clusters`. */
export function createClusterHandlers(deps: AppDeps) {
  return { ...clusterReadHandlers(deps), ...clusterChangeHandlers(deps) };
}

/** The organization's clusters and one of them (the server address, never the kubeconfig). */
function clusterReadHandlers({ db, cipher }: AppDeps) {
  const listClusters: AppRouteHandler<typeof routes.listClusters> = async (c) => {
    const where = listScope(c.get('user'), clusters.organizationId, c.req.valid('query').organizationId);
    const rows = await db.select().from(clusters).where(where).orderBy(clusters.name);
    return c.json({ items: rows.map((row) => view(row, cipher)) }, 200);
  };
  const getCluster: AppRouteHandler<typeof routes.getCluster> = async (c) =>
    c.json(view(await loadVisible(db, clusters, c.get('user'), c.req.valid('param').id, 'Cluster'), cipher), 200);
  return { listClusters, getCluster };
}

/** Registering, changing and removing clusters; a kubeconfig is checked before it is stored. */
function clusterChangeHandlers({ db, cipher }: AppDeps) {
  const createCluster: AppRouteHandler<typeof routes.createCluster> = async (c) => {
    const { organizationId, kubeconfig, ...input } = c.req.valid('json');
    requireClusterRole(c.get('user'), input.mode, 'register');
    if (input.mode === 'kubeconfig') checkKubeconfig(kubeconfig!, input.context);
    const [row] = await db
      .insert(clusters)
      .values({
        ...input,
        organizationId: organizationForCreate(c.get('user'), organizationId),
        kubeconfigEnc: input.mode === 'kubeconfig' ? cipher.encrypt(kubeconfig!) : null,
      })
      .returning();
    return c.json(view(row!, cipher), 201);
  };
  const updateCluster: AppRouteHandler<typeof routes.updateCluster> = async (c) => {
    const current = await loadVisible(db, clusters, c.get('user'), c.req.valid('param').id, 'Cluster');
    requireClusterRole(c.get('user'), current.mode, 'change');
    const { kubeconfig, ...changes } = c.req.valid('json');
    if (kubeconfig && current.mode === 'in-cluster')
      throw apiError(400, 'An in-cluster environment has no kubeconfig.');
    if (changes.namespaces && current.mode === 'kubeconfig')
      throw apiError(400, 'Namespaces are set on in-cluster environments; a kubeconfig limits its own namespaces.');
    const context = changes.context === undefined ? current.context : changes.context;
    const nextConfig = kubeconfig ?? (current.kubeconfigEnc ? cipher.decrypt(current.kubeconfigEnc) : undefined);
    if (nextConfig) checkKubeconfig(nextConfig, context);
    const [row] = await db
      .update(clusters)
      .set({ ...changes, ...(kubeconfig ? { kubeconfigEnc: cipher.encrypt(kubeconfig) } : {}), updatedAt: new Date() })
      .where(eq(clusters.id, current.id))
      .returning();
    return c.json(view(row!, cipher), 200);
  };
  const deleteCluster: AppRouteHandler<typeof routes.deleteCluster> = async (c) => {
    const current = await loadVisible(db, clusters, c.get('user'), c.req.valid('param').id, 'Cluster');
    requireRole(c.get('user'), 'org_admin', 'delete clusters');
    await refuseWhileUsed(db, services.clusterId, current.id, 'cluster');
    await db.delete(clusters).where(eq(clusters.id, current.id));
    return c.body(null, 204);
  };
  return { createCluster, updateCluster, deleteCluster };
}
