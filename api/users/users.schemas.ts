import { z } from '@hono/zod-openapi';
import { userRoles } from '../../domain/roles';
import { uuidParam } from '../openapi';

export const userSchema = z
  .object({
    id: z.string().uuid(),
    organizationId: z.string().uuid(),
    name: z.string(),
    email: z.string().nullable(),
    role: z.enum(userRoles),
    createdAt: z.string(),
  })
  .openapi('User');
export const tokenSchema = z
  .object({ id: z.string().uuid(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() })
  .openapi('ApiToken');
export const newTokenSchema = tokenSchema
  .extend({ token: z.string().openapi({ description: 'Shown once; store it now.' }) })
  .openapi('NewApiToken');
export const userInput = z.object({
  organizationId: z.string().uuid().optional(),
  name: z.string().trim().min(1).max(100),
  email: z.string().email().optional(),
  role: z.enum(userRoles).default('member'),
});
export const userPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  email: z.string().email().nullable().optional(),
  role: z.enum(userRoles).optional(),
});
export const tokenParams = uuidParam.extend({
  tokenId: z
    .string()
    .uuid()
    .openapi({ param: { name: 'tokenId', in: 'path' } }),
});
export const meSchema = userSchema
  .extend({
    notices: z.array(z.string()).openapi({
      description: 'Warnings about this Kiln every user should see (e.g. builds running without isolation)',
    }),
  })
  .openapi('Me');
export const createdUserSchema = userSchema.extend({ token: z.string() });
export const tokenInput = z.object({ name: z.string().trim().min(1).max(100) });
