import type { RouteHandler } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { organizations } from '../../db/schema';
import { canSee, requireAdmin } from '../auth';
import type { AppDeps, AppEnv } from '../deps';
import { apiError, found } from '../errors';
import type * as routes from './organizations.routes';

type Org = typeof organizations.$inferSelect;
const view = (org: Org) => ({ id: org.id, name: org.name, createdAt: org.createdAt.toISOString() });

/** Handlers for `/organizations`. */
export function createOrganizationHandlers({ db }: AppDeps) {
  const load = async (id: string, user: Parameters<typeof canSee>[0]) => {
    const [org] = await db.select().from(organizations).where(eq(organizations.id, id));
    return found(org && canSee(user, org.id) ? org : undefined, `Organization ${id}`);
  };
  const list: RouteHandler<typeof routes.listOrganizations, AppEnv> = async (c) => {
    const user = c.get('user');
    const query = db.select().from(organizations).orderBy(organizations.name);
    const rows = user.role === 'instance_admin' ? await query : await query.where(eq(organizations.id, user.organizationId));
    return c.json({ items: rows.map(view) }, 200);
  };
  const create: RouteHandler<typeof routes.createOrganization, AppEnv> = async (c) => {
    requireAdmin(c.get('user'), 'create organizations');
    const [org] = await db.insert(organizations).values(c.req.valid('json')).returning();
    return c.json(view(org!), 201);
  };
  const get: RouteHandler<typeof routes.getOrganization, AppEnv> = async (c) => {
    return c.json(view(await load(c.req.valid('param').id, c.get('user'))), 200);
  };
  const update: RouteHandler<typeof routes.updateOrganization, AppEnv> = async (c) => {
    const user = c.get('user');
    requireAdmin(user, 'rename organizations');
    const org = await load(c.req.valid('param').id, user);
    const [row] = await db
      .update(organizations)
      .set(c.req.valid('json'))
      .where(eq(organizations.id, org.id))
      .returning();
    return c.json(view(row!), 200);
  };
  const remove: RouteHandler<typeof routes.deleteOrganization, AppEnv> = async (c) => {
    const user = c.get('user');
    requireAdmin(user, 'delete organizations');
    const org = await load(c.req.valid('param').id, user);
    if (org.id === user.organizationId) throw apiError(409, 'You cannot delete your own organization.');
    await db.delete(organizations).where(eq(organizations.id, org.id));
    return c.body(null, 204);
  };
  return { list, create, get, update, remove };
}
