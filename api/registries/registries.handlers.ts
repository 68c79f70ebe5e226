import { eq } from 'drizzle-orm';
import { registries, services } from '../../db/schema';
import { originOf } from '../../domain/credentials';
import { organizationForCreate, requireRole } from '../auth';
import type { Database } from '../../db/client';
import type { SecretCipher } from '../../db/crypto';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import { listScope, loadVisible, refuseWhileUsed } from '../scope';
import { syncPullSecret } from '../kubernetes/cluster-access';
import type { AppRouteHandler } from '../openapi';
import type * as routes from './registries.routes';

type Row = typeof registries.$inferSelect;
const view = ({ passwordEnc, createdAt, updatedAt, ...rest }: Row) => ({
  ...rest,
  hasPassword: passwordEnc.length > 0,
  createdAt: createdAt.toISOString(),
  updatedAt: updatedAt.toISOString(),
});

/** Where a registry's password is sent: scheme (insecure means http) and host[:port], lower case. */
function registryOrigin(url: string, insecure: boolean): string | null {
  const host = url.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '';
  return originOf(`${insecure ? 'http' : 'https'}://${host}`);
}

/** Handlers for `/registries`. */
export function createRegistryHandlers(deps: AppDeps) {
  return { ...registryReadHandlers(deps), ...registryChangeHandlers(deps) };
}

/** The organization's registries and one of them, never with the password. */
function registryReadHandlers({ db }: AppDeps) {
  const listRegistries: AppRouteHandler<typeof routes.listRegistries> = async (c) => {
    const where = listScope(c.get('user'), registries.organizationId, c.req.valid('query').organizationId);
    const rows = await db.select().from(registries).where(where).orderBy(registries.name);
    return c.json({ items: rows.map(view) }, 200);
  };
  const getRegistry: AppRouteHandler<typeof routes.getRegistry> = async (c) =>
    c.json(view(await loadVisible(db, registries, c.get('user'), c.req.valid('param').id, 'Registry')), 200);
  return { listRegistries, getRegistry };
}

/** Registering, changing (credentials reach the pull Secrets) and removing registries (organization admins). */
function registryChangeHandlers({ db, cipher }: AppDeps) {
  const createRegistry: AppRouteHandler<typeof routes.createRegistry> = async (c) => {
    requireRole(c.get('user'), 'org_admin', 'register registries');
    const { organizationId, password, url, ...input } = c.req.valid('json');
    const resolvedUrl = url ?? (input.kind === 'dockerhub' ? 'docker.io' : undefined);
    if (!resolvedUrl) throw apiError(400, `A ${input.kind} registry needs its url (host[:port]).`);
    const [row] = await db
      .insert(registries)
      .values({
        ...input,
        url: resolvedUrl,
        organizationId: organizationForCreate(c.get('user'), organizationId),
        passwordEnc: cipher.encrypt(password),
      })
      .returning();
    return c.json(view(row!), 201);
  };
  const updateRegistry: AppRouteHandler<typeof routes.updateRegistry> = async (c) => {
    const current = await loadVisible(db, registries, c.get('user'), c.req.valid('param').id, 'Registry');
    requireRole(c.get('user'), 'org_admin', 'change registries');
    const { password, ...changes } = c.req.valid('json');
    // A password belongs to one host: moving the registry clears it unless this request brings the new one.
    const moved =
      registryOrigin(changes.url ?? current.url, changes.insecure ?? current.insecure) !==
      registryOrigin(current.url, current.insecure);
    const passwordEnc = password ? cipher.encrypt(password) : moved ? '' : undefined;
    const [row] = await db
      .update(registries)
      .set({ ...changes, ...(passwordEnc === undefined ? {} : { passwordEnc }), updatedAt: new Date() })
      .where(eq(registries.id, current.id))
      .returning();
    // New credentials reach every deployed service's image-pull Secret in place, so pulls keep working.
    const credentialsChanged = Boolean(password) || changes.username !== undefined || changes.url !== undefined;
    const pullSecrets = credentialsChanged ? await syncPullSecrets(db, cipher, current.id) : [];
    return c.json({ ...view(row!), pullSecrets }, 200);
  };
  const deleteRegistry: AppRouteHandler<typeof routes.deleteRegistry> = async (c) => {
    const current = await loadVisible(db, registries, c.get('user'), c.req.valid('param').id, 'Registry');
    requireRole(c.get('user'), 'org_admin', 'delete registries');
    await refuseWhileUsed(db, services.registryId, current.id, 'registry');
    await db.delete(registries).where(eq(registries.id, current.id));
    return c.body(null, 204);
  };
  return { createRegistry, updateRegistry, deleteRegistry };
}

/** Rewrites the image-pull Secret of every service using the registry; reports those not skipped. */
async function syncPullSecrets(db: Database, cipher: SecretCipher, registryId: string) {
  const users = await db.select().from(services).where(eq(services.registryId, registryId));
  const synced = await Promise.all(
    users.map(async (service) => ({ serviceId: service.id, ...(await syncPullSecret(db, cipher, service)) })),
  );
  return synced.filter((sync) => sync.state !== 'skipped');
}
