import type { RouteHandler } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { autoCiSettings, services } from '../../db/schema';
import { generateWebhookSecret } from '../../db/tokens';
import { organizationForCreate } from '../auth';
import type { AppDeps, AppEnv } from '../deps';
import { apiError } from '../errors';
import { listScope } from '../scope';
import { checkReferences, loadVisibleService, serviceView } from './load-service';
import type * as routes from './services.routes';
import { projectPathFromUrl } from './services.schemas';

/** Handlers for `/services`. */
export function createServiceHandlers({ db, cipher }: AppDeps) {
  const enabled = async (serviceId: string) => {
    const [row] = await db.select().from(autoCiSettings).where(eq(autoCiSettings.serviceId, serviceId));
    return row?.enabled ?? false;
  };
  const list: RouteHandler<typeof routes.listServices, AppEnv> = async (c) => {
    const where = listScope(c.get('user'), services.organizationId, c.req.valid('query').organizationId);
    const rows = await db
      .select({ service: services, enabled: autoCiSettings.enabled })
      .from(services)
      .leftJoin(autoCiSettings, eq(autoCiSettings.serviceId, services.id))
      .where(where)
      .orderBy(services.name);
    return c.json({ items: rows.map((r) => serviceView(r.service, r.enabled ?? false)) }, 200);
  };
  const create: RouteHandler<typeof routes.createService, AppEnv> = async (c) => {
    const { organizationId: requestedOrg, projectPath, ...input } = c.req.valid('json');
    const organizationId = organizationForCreate(c.get('user'), requestedOrg);
    const path = (projectPath ?? projectPathFromUrl(input.repoUrl))?.toLowerCase();
    if (!path) throw apiError(400, 'Cannot tell the project from repoUrl; send projectPath ("group/project").');
    await checkReferences(db, organizationId, input);
    const row = await db.transaction(async (tx) => {
      const [service] = await tx
        .insert(services)
        .values({
          ...input,
          organizationId,
          projectPath: path,
          webhookSecretEnc: cipher.encrypt(generateWebhookSecret()),
        })
        .returning();
      await tx.insert(autoCiSettings).values({ serviceId: service!.id, branchFilter: [input.defaultBranch] });
      return service!;
    });
    return c.json(serviceView(row, false), 201);
  };
  const get: RouteHandler<typeof routes.getService, AppEnv> = async (c) => {
    const row = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    return c.json(serviceView(row, await enabled(row.id)), 200);
  };
  const update: RouteHandler<typeof routes.updateService, AppEnv> = async (c) => {
    const current = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    const { projectPath, ...changes } = c.req.valid('json');
    await checkReferences(db, current.organizationId, changes);
    const path = projectPath ?? (changes.repoUrl ? projectPathFromUrl(changes.repoUrl) : undefined);
    const [row] = await db
      .update(services)
      .set({ ...changes, ...(path ? { projectPath: path.toLowerCase() } : {}), updatedAt: new Date() })
      .where(eq(services.id, current.id))
      .returning();
    return c.json(serviceView(row!, await enabled(current.id)), 200);
  };
  const remove: RouteHandler<typeof routes.deleteService, AppEnv> = async (c) => {
    const current = await loadVisibleService(db, c.get('user'), c.req.valid('param').id);
    await db.delete(services).where(eq(services.id, current.id));
    return c.body(null, 204);
  };
  return { list, create, get, update, remove };
}
