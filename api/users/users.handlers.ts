import type { RouteHandler } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { apiTokens, organizations, users } from '../../db/schema';
import { generateApiToken, hashApiToken } from '../../db/tokens';
import { canSee, organizationForCreate, requireAdmin } from '../auth';
import type { AppDeps, AppEnv, AuthUser } from '../deps';
import { apiError, found } from '../errors';
import type * as routes from './users.routes';

type User = typeof users.$inferSelect;
type Token = typeof apiTokens.$inferSelect;
const view = (u: User) => ({
  id: u.id,
  organizationId: u.organizationId,
  name: u.name,
  email: u.email,
  role: u.role,
  createdAt: u.createdAt.toISOString(),
});
const tokenView = (t: Token) => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
});

/** Handlers for `/me` and `/users`. */
export function createUserHandlers({ db }: AppDeps) {
  const load = async (id: string, caller: AuthUser) => {
    const [user] = await db.select().from(users).where(eq(users.id, id));
    return found(user && canSee(caller, user.organizationId) ? user : undefined, `User ${id}`);
  };
  // Only admins and the user themself manage a user's tokens.
  const loadSelfOrAdmin = async (id: string, caller: AuthUser) => {
    const user = await load(id, caller);
    if (caller.role === 'member' && caller.id !== user.id)
      throw apiError(403, "Only admins manage other users' tokens.");
    return user;
  };
  const issueToken = async (userId: string, name: string) => {
    const token = generateApiToken();
    const [row] = await db
      .insert(apiTokens)
      .values({ userId, name, tokenHash: hashApiToken(token) })
      .returning();
    return { ...tokenView(row!), token };
  };

  const me: RouteHandler<typeof routes.me, AppEnv> = async (c) =>
    c.json(view(await load(c.get('user').id, c.get('user'))), 200);
  const list: RouteHandler<typeof routes.listUsers, AppEnv> = async (c) => {
    const caller = c.get('user');
    const { organizationId } = c.req.valid('query');
    const orgId = caller.role === 'instance_admin' ? organizationId : caller.organizationId;
    const query = db.select().from(users).orderBy(users.name);
    const rows = orgId ? await query.where(eq(users.organizationId, orgId)) : await query;
    return c.json({ items: rows.map(view) }, 200);
  };
  const create: RouteHandler<typeof routes.createUser, AppEnv> = async (c) => {
    const caller = c.get('user');
    requireAdmin(caller, 'create users');
    const input = c.req.valid('json');
    const organizationId = organizationForCreate(caller, input.organizationId);
    const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
    found(org, `Organization ${organizationId}`);
    const [user] = await db
      .insert(users)
      .values({ ...input, organizationId })
      .returning();
    const { token } = await issueToken(user!.id, 'initial');
    return c.json({ ...view(user!), token }, 201);
  };
  const get: RouteHandler<typeof routes.getUser, AppEnv> = async (c) =>
    c.json(view(await load(c.req.valid('param').id, c.get('user'))), 200);
  const update: RouteHandler<typeof routes.updateUser, AppEnv> = async (c) => {
    const caller = c.get('user');
    requireAdmin(caller, 'change users');
    const user = await load(c.req.valid('param').id, caller);
    const [row] = await db.update(users).set(c.req.valid('json')).where(eq(users.id, user.id)).returning();
    return c.json(view(row!), 200);
  };
  const remove: RouteHandler<typeof routes.deleteUser, AppEnv> = async (c) => {
    const caller = c.get('user');
    requireAdmin(caller, 'delete users');
    const user = await load(c.req.valid('param').id, caller);
    if (user.id === caller.id) throw apiError(409, 'You cannot delete yourself.');
    await db.delete(users).where(eq(users.id, user.id));
    return c.body(null, 204);
  };
  const listTokens: RouteHandler<typeof routes.listTokens, AppEnv> = async (c) => {
    const user = await loadSelfOrAdmin(c.req.valid('param').id, c.get('user'));
    const rows = await db.select().from(apiTokens).where(eq(apiTokens.userId, user.id)).orderBy(apiTokens.createdAt);
    return c.json({ items: rows.map(tokenView) }, 200);
  };
  const createToken: RouteHandler<typeof routes.createToken, AppEnv> = async (c) => {
    const user = await loadSelfOrAdmin(c.req.valid('param').id, c.get('user'));
    return c.json(await issueToken(user.id, c.req.valid('json').name), 201);
  };
  const deleteToken: RouteHandler<typeof routes.deleteToken, AppEnv> = async (c) => {
    const { id, tokenId } = c.req.valid('param');
    const user = await loadSelfOrAdmin(id, c.get('user'));
    const deleted = await db
      .delete(apiTokens)
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, user.id)))
      .returning();
    found(deleted[0], `Token ${tokenId}`);
    return c.body(null, 204);
  };
  return { me, list, create, get, update, remove, listTokens, createToken, deleteToken };
}
