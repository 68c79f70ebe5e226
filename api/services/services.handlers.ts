import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { autoCiSettings, services } from '../../db/schema';
import { generateWebhookSecret } from '../../db/tokens';
import { organizationForCreate } from '../auth';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import { listScope } from '../scope';
import { checkReferences, loadVisibleService, serviceView } from './load-service';
import type { AppRouteHandler } from '../openapi';
import type * as routes from './services.routes';
import { projectPathFromUrl } from './services.schemas';

/** Handlers for `/services`. */
export function createServiceHandlers(deps: AppDeps) {
  return { ...serviceReadHandlers(deps), ...serviceChangeHandlers(deps) };
}

/** The organization's services and one of them, each with whether Auto CI is on. */
function serviceReadHandlers({ db }: AppDeps) {
  const listServices: AppRouteHandler<typeof routes.listServices> = async (c) => {
    const where = listScope(c.get('user'), services.organizationId, c.req.valid('query').organizationId);
    const rows = await db
      .select({ service: services, enabled: autoCiSettings.enabled })
      .from(services)
      .leftJoin(autoCiSettings, eq(autoCiSettings.serviceId, services.id))
      .where(where)
      .orderBy(services.name);
    return c.json({ items: rows.map((r) => serviceView(r.service, r.enabled ?? false)) }, 200);
  };
  const getService: AppRouteHandler<typeof routes.getService> = async (c) => {
    const row = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    return c.json(serviceView(row, await autoCiEnabled(db, row.id)), 200);
  };
  return { listServices, getService };
}

/** Creating a service (with its webhook secret and Auto CI row), changing and deleting it. */
function serviceChangeHandlers({ db, cipher }: AppDeps) {
  const createService: AppRouteHandler<typeof routes.createService> = async (c) => {
    const { organizationId: requestedOrg, projectPath, ...input } = c.req.valid('json');
    const organizationId = organizationForCreate(c.get('user'), requestedOrg);
    const path = (projectPath ?? projectPathFromUrl(input.repoUrl))?.toLowerCase();
    if (!path) throw apiError(400, 'Cannot tell the project from repoUrl; send projectPath ("group/project").');
    await checkReferences(db, organizationId, input);
    const row = await db.transaction(async (tx) => {
      const webhookSecretEnc = cipher.encrypt(generateWebhookSecret());
      const [service] = await tx
        .insert(services)
        .values({ ...input, organizationId, projectPath: path, webhookSecretEnc })
        .returning();
      await tx.insert(autoCiSettings).values({ serviceId: service!.id, branchFilter: [input.defaultBranch] });
      return service!;
    });
    return c.json(serviceView(row, false), 201);
  };
  const updateService: AppRouteHandler<typeof routes.updateService> = async (c) => {
    const current = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const { projectPath, ...changes } = c.req.valid('json');
    await checkReferences(db, current.organizationId, { ...current, ...changes });
    const path = projectPath ?? (changes.repoUrl ? projectPathFromUrl(changes.repoUrl) : undefined);
    const [row] = await db
      .update(services)
      .set({ ...changes, ...(path ? { projectPath: path.toLowerCase() } : {}), updatedAt: new Date() })
      .where(eq(services.id, current.id))
      .returning();
    return c.json(serviceView(row!, await autoCiEnabled(db, current.id)), 200);
  };
  const deleteService: AppRouteHandler<typeof routes.deleteService> = async (c) => {
    const current = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    await db.delete(services).where(eq(services.id, current.id));
    return c.body(null, 204);
  };
  return { createService, updateService, deleteService };
}

async function autoCiEnabled(db: Database, serviceId: string): Promise<boolean> {
  const [row] = await db.select().from(autoCiSettings).where(eq(autoCiSettings.serviceId, serviceId));
  return row?.enabled ?? false;
}
