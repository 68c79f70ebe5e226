import { and, count, eq, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { apiTokens, organizations, users } from '../../db/schema';
import { generateApiToken, hashApiToken } from '../../db/tokens';
import { organizationForCreate, requireAssignableRole, requireManageable, requireRole } from '../auth';
import type { AppConfig, AppDeps, AuthUser } from '../deps';
import { apiError, found } from '../errors';
import { listScope, withinReach } from '../scope';
import type { AppRouteHandler } from '../openapi';
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

/** Handlers for `/me` and `/users`; who may do what is decided by the rules in api/auth.ts. */
export function createUserHandlers(deps: AppDeps) {
  return { ...userReadHandlers(deps), ...userChangeHandlers(deps), ...userTokenHandlers(deps) };
}

/** The caller's own record (with the instance's notices), the user list and one user. */
function userReadHandlers({ db, config }: AppDeps) {
  const me: AppRouteHandler<typeof routes.me> = async (c) =>
    c.json({ ...view(await loadUser(db, c.get('user').id, c.get('user'))), notices: instanceNotices(config) }, 200);
  const listUsers: AppRouteHandler<typeof routes.listUsers> = async (c) => {
    const caller = c.get('user');
    requireRole(caller, 'org_admin', 'list users');
    const where = listScope(caller, users.organizationId, c.req.valid('query').organizationId);
    const rows = await db.select().from(users).where(where).orderBy(users.name);
    return c.json({ items: rows.map(view) }, 200);
  };
  const getUser: AppRouteHandler<typeof routes.getUser> = async (c) => {
    const caller = c.get('user');
    const user = await loadUser(db, c.req.valid('param').id, caller);
    if (user.id !== caller.id) requireRole(caller, 'org_admin', 'see other users');
    return c.json(view(user), 200);
  };
  return { me, listUsers, getUser };
}

/** Creating (with a first token), changing and deleting users, never leaving Kiln without an instance admin. */
function userChangeHandlers({ db }: AppDeps) {
  const createUser: AppRouteHandler<typeof routes.createUser> = async (c) => {
    const caller = c.get('user');
    requireRole(caller, 'org_admin', 'create users');
    const input = c.req.valid('json');
    requireAssignableRole(caller, input.role);
    const organizationId = organizationForCreate(caller, input.organizationId);
    const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
    found(org, `Organization ${organizationId}`);
    const [user] = await db
      .insert(users)
      .values({ ...input, organizationId })
      .returning();
    const { token } = await issueToken(db, user!.id, 'initial');
    return c.json({ ...view(user!), token }, 201);
  };
  const updateUser: AppRouteHandler<typeof routes.updateUser> = async (c) => {
    const caller = c.get('user');
    const user = await loadUser(db, c.req.valid('param').id, caller);
    requireManageable(caller, user, 'change users');
    const changes = c.req.valid('json');
    if (changes.role) requireAssignableRole(caller, changes.role);
    const row = await keepingAnInstanceAdmin(db, user, changes.role !== undefined && changes.role !== user.role, (tx) =>
      tx.update(users).set(changes).where(eq(users.id, user.id)).returning(),
    );
    return c.json(view(row[0]!), 200);
  };
  const deleteUser: AppRouteHandler<typeof routes.deleteUser> = async (c) => {
    const caller = c.get('user');
    const user = await loadUser(db, c.req.valid('param').id, caller);
    requireManageable(caller, user, 'delete users');
    if (user.id === caller.id) throw apiError(409, 'You cannot delete yourself.');
    await keepingAnInstanceAdmin(db, user, true, (tx) => tx.delete(users).where(eq(users.id, user.id)));
    return c.body(null, 204);
  };
  return { createUser, updateUser, deleteUser };
}

/** A user's API tokens: listing, minting and revoking them. */
function userTokenHandlers({ db }: AppDeps) {
  const listTokens: AppRouteHandler<typeof routes.listTokens> = async (c) => {
    const user = await loadTokenOwner(db, c.req.valid('param').id, c.get('user'));
    const rows = await db.select().from(apiTokens).where(eq(apiTokens.userId, user.id)).orderBy(apiTokens.createdAt);
    return c.json({ items: rows.map(tokenView) }, 200);
  };
  const createToken: AppRouteHandler<typeof routes.createToken> = async (c) => {
    const user = await loadTokenOwner(db, c.req.valid('param').id, c.get('user'));
    return c.json(await issueToken(db, user.id, c.req.valid('json').name), 201);
  };
  const deleteToken: AppRouteHandler<typeof routes.deleteToken> = async (c) => {
    const { id, tokenId } = c.req.valid('param');
    const user = await loadTokenOwner(db, id, c.get('user'));
    const deleted = await db
      .delete(apiTokens)
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, user.id)))
      .returning();
    found(deleted[0], `Token ${tokenId}`);
    return c.body(null, 204);
  };
  return { listTokens, createToken, deleteToken };
}

async function loadUser(db: Database, id: string, caller: AuthUser): Promise<User> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return withinReach(caller, user, `User ${id}`);
}

// A user's tokens: their own, or those of a user an organization admin may manage.
async function loadTokenOwner(db: Database, id: string, caller: AuthUser): Promise<User> {
  const user = await loadUser(db, id, caller);
  requireManageable(caller, user, "manage other users' tokens", { self: true });
  return user;
}

async function issueToken(db: Database, userId: string, name: string) {
  const token = generateApiToken();
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, name, tokenHash: hashApiToken(token) })
    .returning();
  return { ...tokenView(row!), token };
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Runs `change` (a demotion or deletion of `user` when `losesRole`) unless it would leave Kiln without an
 * instance admin. Serialised by an advisory lock so two admins demoting each other cannot both succeed.
 */
async function keepingAnInstanceAdmin<T>(
  db: Database,
  user: User,
  losesRole: boolean,
  change: (tx: Tx) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    if (losesRole && user.role === 'instance_admin') {
      await tx.execute(sql`select pg_advisory_xact_lock(7406115)`);
      const [others] = await tx
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.role, 'instance_admin'), ne(users.id, user.id)));
      if ((others?.n ?? 0) === 0)
        throw apiError(409, `${user.name} is the last instance admin; make another user instance admin first.`);
    }
    return change(tx);
  });
}

/** What every signed-in user is told about this Kiln's setup. */
function instanceNotices(config: AppConfig): string[] {
  if (config.localIsolation !== 'chroot') return [];
  return [
    'Builds run without isolation (KILN_LOCAL_ISOLATION=chroot): every build shares this machine with Kiln and other builds, without CPU or memory limits. Build trusted code only.',
  ];
}
