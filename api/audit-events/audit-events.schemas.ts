import { z } from '@hono/zod-openapi';

/** One audit event as the API shows it. */
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

/** Which audit events to list: one organization (instance admins), how many. */
export const auditEventsQuery = z.object({
  organizationId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
