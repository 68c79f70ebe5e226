import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './deps';

/** The JSON error body every 4xx/5xx uses. */
export const errorSchema = z
  .object({
    error: z.string().openapi({ example: 'NotFound' }),
    message: z.string().openapi({ example: 'Service 5f0c… not found.' }),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Error');

export const uuidParam = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' }, example: '0b5c2d4e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' }),
});

/** A JSON response entry for `createRoute({ responses })`. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

/** A JSON request body entry for `createRoute({ request })`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } };
}

/** Error responses most authenticated routes can return. */
export const commonErrors = {
  400: jsonResponse(errorSchema, 'Invalid input'),
  401: jsonResponse(errorSchema, 'Missing or invalid API token'),
  403: jsonResponse(errorSchema, 'Not allowed for this user'),
  404: jsonResponse(errorSchema, 'Not found (or not in your organization)'),
} as const;

/** A router whose validation failures answer 400 with the shared error body. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = result.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(root)',
        message: issue.message,
      }));
      const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      return c.json({ error: 'ValidationFailed', message: `Invalid request: ${summary}`, issues }, 400);
    },
  });
}

export const bearerSecurity = [{ bearerAuth: [] }];
