import { eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import type { Database } from '../db/client';
import { apiTokens, users } from '../db/schema';
import { hashApiToken } from '../db/tokens';
import { noteOrganization } from './audit';
import { roleIncludes, type UserRole } from '../domain/roles';
import type { AppEnv, AuthUser } from './deps';
import { apiError } from './errors';

/** Resolves `Authorization: Bearer <token>` to the caller; everything behind it requires a valid token. */
export function bearerAuth(db: Database): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw apiError(401, 'Missing API token: send "Authorization: Bearer <token>".');
    const [row] = await db
      .select({
        id: users.id,
        organizationId: users.organizationId,
        role: users.role,
        name: users.name,
        tokenId: apiTokens.id,
        lastUsedAt: apiTokens.lastUsedAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.tokenHash, hashApiToken(match[1]!)))
      .limit(1);
    if (!row) throw apiError(401, 'Invalid API token: it does not exist or was revoked.');
    const { tokenId, lastUsedAt, ...user } = row;
    // "Last used" is informative only: updated at most once a minute, off the request's critical path.
    const now = new Date();
    if (!lastUsedAt || now.getTime() - lastUsedAt.getTime() > 60_000) {
      db.update(apiTokens)
        .set({ lastUsedAt: now })
        .where(eq(apiTokens.id, tokenId))
        .catch(() => undefined);
    }
    c.set('user', user);
    await next();
  };
}

const plural: Record<UserRole, string> = {
  member: 'members',
  org_admin: 'organization admins',
  instance_admin: 'instance admins',
};

/** True when the caller holds `role` or a higher one. */
export function hasRole(user: AuthUser, role: UserRole): boolean {
  return roleIncludes(user.role, role);
}

/** Throws 403 unless the caller holds at least `role`; `action` completes "Only organization admins can …". */
export function requireRole(user: AuthUser, role: UserRole, action: string): void {
  if (!hasRole(user, role)) throw apiError(403, `Only ${plural[role]} can ${action}; ask one to do it.`);
}

/** Throws 403 when the caller would give someone a role above their own (creating, promoting). */
export function requireAssignableRole(user: AuthUser, role: UserRole): void {
  if (!roleIncludes(user.role, role))
    throw apiError(403, `You cannot give the role ${role}: it is above your own (${user.role}).`);
}

/**
 * Throws 403 unless the caller may manage `target` (change, delete, mint or revoke tokens): organization admins
 * and above, and never a user of a higher role. The caller's own tokens need no admin role: `self` allows them.
 * That `target` is in the caller's reach (their organization) is checked by the lookup that found it.
 */
export function requireManageable(
  user: AuthUser,
  target: { id: string; role: UserRole },
  action: string,
  options: { self?: boolean } = {},
): void {
  if (options.self && target.id === user.id) return;
  requireRole(user, 'org_admin', action);
  if (!roleIncludes(user.role, target.role))
    throw apiError(
      403,
      `This user is ${target.role}, above your role (${user.role}); only ${plural[target.role]} can manage them.`,
    );
}

/** Clusters are organization-admin business, except in-cluster mode: it acts with Kiln's own service account. */
export function requireClusterRole(user: AuthUser, mode: 'kubeconfig' | 'in-cluster', verb: string): void {
  if (mode === 'in-cluster')
    requireRole(user, 'instance_admin', `${verb} in-cluster environments (they act with Kiln's own service account)`);
  else requireRole(user, 'org_admin', `${verb} clusters`);
}

/**
 * The organization an object is created in: instance admins may name any (the action is audited), everyone
 * else only their own; another organization answers 404, as if it did not exist.
 */
export function organizationForCreate(user: AuthUser, requested?: string): string {
  if (!requested || requested === user.organizationId) return user.organizationId;
  if (user.role !== 'instance_admin') throw apiError(404, `Organization ${requested} not found.`);
  noteOrganization(user, requested);
  return requested;
}

/** True when the caller may see an object of `organizationId`: their own organization; instance admins all. */
export function canSee(user: AuthUser, organizationId: string): boolean {
  return user.role === 'instance_admin' || user.organizationId === organizationId;
}
