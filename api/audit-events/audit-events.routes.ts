import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, itemsOf, jsonResponse } from '../openapi';
import { auditEventSchema, auditEventsQuery } from './audit-events.schemas';

/** `GET /audit-events`: instance admins' actions in other organizations. */
export const listAuditEvents = createRoute({
  tags: ['Organizations'],
  security: bearerSecurity,
  method: 'get',
  path: '/',
  summary: "Instance admins' actions in organizations other than their own, newest first (organization admin)",
  description:
    'Organization admins see the actions taken in their organization; instance admins see all, or one ' +
    'organization with `organizationId`.',
  request: { query: auditEventsQuery },
  responses: { 200: jsonResponse(itemsOf(auditEventSchema), 'Audit events'), ...commonErrors },
});
