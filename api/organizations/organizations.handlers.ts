import { eq } from 'drizzle-orm';
import { baseImagePrefixProblem } from '../../dockerfile-generator/images';
import { organizations } from '../../db/schema';
import { requireRole } from '../auth';
import type { AppDeps, AuthUser } from '../deps';
import { apiError } from '../errors';
import { visibleTo, withinReach } from '../scope';
import type { AppRouteHandler } from '../openapi';
import type * as routes from './organizations.routes';

type Org = typeof organizations.$inferSelect;
const view = (org: Org) => ({
  id: org.id,
  name: org.name,
  baseImagePrefix: org.baseImagePrefix,
  createdAt: org.createdAt.toISOString(),
});

/** Handlers for `/organizations`: instance admins create and delete them, organization admins rename theirs. */
export function createOrganizationHandlers({ db }: AppDeps) {
  const load = async (id: string, user: AuthUser) => {
    const [org] = await db.select().from(organizations).where(eq(organizations.id, id));
    return withinReach(user, org && { ...org, organizationId: org.id }, `Organization ${id}`);
  };
  const listOrganizations: AppRouteHandler<typeof routes.listOrganizations> = async (c) => {
    const rows = await db
      .select()
      .from(organizations)
      .where(visibleTo(c.get('user'), organizations.id))
      .orderBy(organizations.name);
    return c.json({ items: rows.map(view) }, 200);
  };
  const createOrganization: AppRouteHandler<typeof routes.createOrganization> = async (c) => {
    requireRole(c.get('user'), 'instance_admin', 'create organizations');
    const [org] = await db.insert(organizations).values(c.req.valid('json')).returning();
    return c.json(view(org!), 201);
  };
  const getOrganization: AppRouteHandler<typeof routes.getOrganization> = async (c) => {
    return c.json(view(await load(c.req.valid('param').id, c.get('user'))), 200);
  };
  const updateOrganization: AppRouteHandler<typeof routes.updateOrganization> = async (c) => {
    const user = c.get('user');
    const org = await load(c.req.valid('param').id, user);
    const input = c.req.valid('json');
    requireRole(user, 'org_admin', input.name === undefined ? 'change the organization' : 'rename the organization');
    const baseImagePrefix = input.baseImagePrefix === '' ? null : input.baseImagePrefix;
    const problem = baseImagePrefixProblem(baseImagePrefix);
    if (problem) throw apiError(400, problem);
    if (input.name === undefined && baseImagePrefix === undefined) return c.json(view(org), 200);
    const [row] = await db
      .update(organizations)
      .set({ name: input.name, baseImagePrefix })
      .where(eq(organizations.id, org.id))
      .returning();
    return c.json(view(row!), 200);
  };
  const deleteOrganization: AppRouteHandler<typeof routes.deleteOrganization> = async (c) => {
    const user = c.get('user');
    const org = await load(c.req.valid('param').id, user);
    requireRole(user, 'instance_admin', 'delete organizations');
    if (org.id === user.organizationId) throw apiError(409, 'You cannot delete your own organization.');
    await db.delete(organizations).where(eq(organizations.id, org.id));
    return c.body(null, 204);
  };
  return { listOrganizations, createOrganization, getOrganization, updateOrganization, deleteOrganization };
}
