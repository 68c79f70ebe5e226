import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { Database } from '../db/client';
import { auditEvents } from '../db/schema';
import type { AppEnv, AuthUser } from './deps';

// Organizations other than the caller's own that this request touched, keyed by the request's user object.
const reached = new WeakMap<AuthUser, Set<string>>();

/**
 * Notes that the caller acts on an object of `organizationId`. The scope helpers call this for every object
 * they let through, so a request that touches another organization is audited without each handler knowing.
 */
export function noteOrganization(user: AuthUser, organizationId: string): void {
  if (organizationId !== user.organizationId) reached.get(user)?.add(organizationId);
}

/**
 * After the response is ready (its status known), records one `audit_events` row per other organization the
 * caller acted in. Only instance admins can reach other organizations; anyone else showing up here is a bug
 * in a scope check, and is recorded all the same.
 */
export function auditCrossOrganization(db: Database, logger?: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get('user') as AuthUser | undefined;
    if (!user) return next();
    const organizations = new Set<string>();
    reached.set(user, organizations);
    await next();
    if (organizations.size === 0) return;
    const rows = [...organizations].map((organizationId) => ({
      actorUserId: user.id,
      actorName: user.name,
      organizationId,
      method: c.req.method,
      path: c.req.path,
      statusCode: c.res.status,
    }));
    try {
      await db.insert(auditEvents).values(rows);
    } catch (err) {
      // The action itself already happened; losing its record must be loud in the log.
      logger?.error({ err, rows }, 'could not record a cross-organization action in audit_events');
    }
  };
}
