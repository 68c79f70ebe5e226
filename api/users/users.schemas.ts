import { z } from '@hono/zod-openapi';
import { userRoles } from '../../domain/roles';
import { uuidParam } from '../openapi';

/** A user as the API shows it. */
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
/** An API token as the API lists it (never the secret). */
export const tokenSchema = z
  .object({ id: z.string().uuid(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() })
  .openapi('ApiToken');
/** A token just minted, with its secret shown once. */
export const newTokenSchema = tokenSchema
  .extend({ token: z.string().openapi({ description: 'Shown once; store it now.' }) })
  .openapi('NewApiToken');
/** The body that creates a user. */
export const userInput = z.object({
  organizationId: z.string().uuid().optional(),
  name: z.string().trim().min(1).max(100),
  email: z.string().email().optional(),
  role: z.enum(userRoles).default('member'),
});
/** The body that changes a user. */
export const userPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  email: z.string().email().nullable().optional(),
  role: z.enum(userRoles).optional(),
});
/** The user id and token id path parameters. */
export const tokenParams = uuidParam.extend({
  tokenId: z
    .string()
    .uuid()
    .openapi({ param: { name: 'tokenId', in: 'path' } }),
});
/** The caller's own record with the instance's notices. */
export const meSchema = userSchema
  .extend({
    notices: z.array(z.string()).openapi({
      description: 'Warnings about this Kiln every user should see (e.g. builds running without isolation)',
    }),
  })
  .openapi('Me');
/** A user just created, with their first token. */
export const createdUserSchema = userSchema.extend({ token: z.string() });
/** The body that mints a token: its name. */
export const tokenInput = z.object({ name: z.string().trim().min(1).max(100) });
