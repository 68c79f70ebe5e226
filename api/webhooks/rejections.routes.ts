import { createRoute, z } from '@hono/zod-openapi';
import type { RouteHandler } from '@hono/zod-openapi';
import { count, desc } from 'drizzle-orm';
import { webhookRejections } from '../../db/schema';
import { requireRole } from '../auth';
import type { AppDeps, AppEnv } from '../deps';
import { bearerSecurity, commonErrors, createRouter, jsonResponse } from '../openapi';
import { listScope } from '../scope';
import { MAX_STORED_REJECTIONS, REJECTION_WRITES_PER_MINUTE } from './rejections';

type Row = typeof webhookRejections.$inferSelect;
const rejectionSchema = z
  .object({
    id: z.string().uuid(),
    provider: z.enum(['gitlab', 'github']),
    organizationId: z.string().uuid().nullable(),
    event: z.string().nullable(),
    repository: z.string().nullable(),
    reason: z.string().openapi({
      description:
        'unknown_repository, invalid_secret, stale_signature, malformed, missing_event, too_large; rate_limited ' +
        'rows say in headers["not-recorded"] how many rejections over the rate limit were counted but not stored',
    }),
    headers: z.record(z.string(), z.string()),
    createdAt: z.string(),
  })
  .openapi('WebhookRejection');
const query = z.object({
  organizationId: z.string().uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
const view = (row: Row) => ({ ...row, createdAt: row.createdAt.toISOString() });

const listRoute = createRoute({
  tags: ['Webhooks'],
  security: bearerSecurity,
  method: 'get',
  path: '/webhook-rejections',
  summary: 'Webhook deliveries Kiln refused before a secret vouched for them (organization admins and above)',
  description:
    'Unauthenticated deliveries (unknown repository, wrong secret or signature, malformed) never enter a ' +
    "service's delivery history. Kiln keeps the newest " +
    `${MAX_STORED_REJECTIONS} of them instance-wide, writes at most ${REJECTION_WRITES_PER_MINUTE} a minute and ` +
    'keeps only event, user agent, claimed delivery id and content length (each at most 200 characters). ' +
    'Organization admins see those that named a repository of their organization; instance admins see all.',
  request: { query },
  responses: {
    200: jsonResponse(
      z.object({ items: z.array(rejectionSchema), total: z.number(), page: z.number(), pageSize: z.number() }),
      'Rejections, newest first',
    ),
    ...commonErrors,
  },
});

/** `GET /webhook-rejections`. */
export function webhookRejectionsRouter({ db }: AppDeps) {
  const list: RouteHandler<typeof listRoute, AppEnv> = async (c) => {
    const user = c.get('user');
    requireRole(user, 'org_admin', 'see rejected webhook deliveries');
    const { organizationId, page, pageSize } = c.req.valid('query');
    const where = listScope(user, webhookRejections.organizationId, organizationId);
    const rows = await db
      .select()
      .from(webhookRejections)
      .where(where)
      .orderBy(desc(webhookRejections.createdAt), desc(webhookRejections.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    const [total] = await db.select({ n: count() }).from(webhookRejections).where(where);
    return c.json({ items: rows.map(view), total: total?.n ?? 0, page, pageSize }, 200);
  };
  return createRouter().openapi(listRoute, list);
}
