import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { bearerSecurity, commonErrors, createRouter, jsonResponse } from '../openapi';
import { createAuditEventHandlers } from './audit-events.handlers';

export const auditEventSchema = z
  .object({
    id: z.string().uuid(),
    actorUserId: z.string().uuid().nullable(),
    actorName: z.string(),
    organizationId: z.string().uuid().nullable().openapi({ description: 'The organization acted in' }),
    method: z.string(),
    path: z.string(),
    statusCode: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('AuditEvent');

export const listAuditEvents = createRoute({
  tags: ['Organizations'],
  security: bearerSecurity,
  method: 'get',
  path: '/',
  summary: "Instance admins' actions in organizations other than their own, newest first (organization admin)",
  description:
    'Organization admins see the actions taken in their organization; instance admins see all, or one ' +
    'organization with `organizationId`.',
  request: {
    query: z.object({
      organizationId: z.string().uuid().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: { 200: jsonResponse(z.object({ items: z.array(auditEventSchema) }), 'Audit events'), ...commonErrors },
});

/** `/audit-events` router. */
export function auditEventsRouter(deps: AppDeps) {
  const h = createAuditEventHandlers(deps);
  return createRouter().openapi(listAuditEvents, h.list);
}
