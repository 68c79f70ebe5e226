import { eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import type { Database } from '../db/client';
import { apiTokens, users } from '../db/schema';
import { hashApiToken } from '../db/tokens';
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

/** Throws 403 unless the caller is an admin. */
export function requireAdmin(user: AuthUser, action: string): void {
  if (user.role === 'member') throw apiError(403, `Only admins can ${action}.`);
}

/** The organization an object is created in: admins may name any, members only their own. */
export function organizationForCreate(user: AuthUser, requested?: string): string {
  if (!requested || requested === user.organizationId) return user.organizationId;
  if (user.role !== 'instance_admin') throw apiError(403, 'Members can only create objects in their own organization.');
  return requested;
}

/** True when the caller may see an object of `organizationId` (admins see every organization). */
export function canSee(user: AuthUser, organizationId: string): boolean {
  return user.role === 'instance_admin' || user.organizationId === organizationId;
}
