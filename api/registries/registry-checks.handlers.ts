import { checkRegistry } from '../../clients/registry-check';
import { registries } from '../../db/schema';
import { registryHost } from '../../domain/registry-host';
import { requireRole } from '../auth';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import type { AppRouteHandler } from '../openapi';
import { loadVisible } from '../scope';
import type * as routes from './registry-checks.routes';

async function answer(auth: Parameters<typeof checkRegistry>[0]) {
  try {
    return await checkRegistry(auth);
  } catch (error) {
    throw apiError(422, (error as Error).message);
  }
}

/** Handlers of registry Test connection: a registry before it is added, or a stored one. */
export function createRegistryCheckHandlers({ db, cipher }: AppDeps) {
  const checkNewRegistry: AppRouteHandler<typeof routes.checkNewRegistry> = async (c) => {
    requireRole(c.get('user'), 'org_admin', 'test registries');
    const { kind, url, username, password, insecure } = c.req.valid('json');
    const resolved = url ?? (kind === 'dockerhub' ? 'docker.io' : undefined);
    if (!resolved) throw apiError(400, `A ${kind} registry needs its url (host[:port]).`);
    return c.json(await answer({ host: registryHost(resolved), username, password, insecure }), 200);
  };
  const checkStoredRegistry: AppRouteHandler<typeof routes.checkStoredRegistry> = async (c) => {
    const user = c.get('user');
    const { id } = c.req.valid('param');
    const registry = await loadVisible(db, registries, user, id, 'Registry');
    requireRole(user, 'org_admin', 'test registries');
    if (registry.passwordEnc === '') {
      throw apiError(409, `Registry ${registry.name} has no password since its URL changed; enter it again.`);
    }
    const auth = {
      host: registryHost(registry.url),
      username: registry.username,
      password: cipher.decrypt(registry.passwordEnc),
      insecure: registry.insecure,
    };
    return c.json(await answer(auth), 200);
  };
  return { checkNewRegistry, checkStoredRegistry };
}
