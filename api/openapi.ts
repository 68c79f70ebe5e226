import { OpenAPIHono, z, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from './deps';

/** The JSON error body every 4xx/5xx uses. */
export const errorSchema = z
  .object({
    error: z.string().openapi({ example: 'NotFound' }),
    message: z.string().openapi({ example: 'Service 5f0c… not found.' }),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Error');

/** The `{id}` path parameter: a UUID. */
export const uuidParam = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' }, example: '0b5c2d4e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' }),
});

/** `?organizationId=`: instance admins list one organization's objects (everyone else sees only their own). */
export const organizationQuery = z.object({ organizationId: z.string().uuid().optional() });

/** A list response: `{ items: [...] }`. */
export function itemsOf<T extends z.ZodType>(schema: T) {
  return z.object({ items: z.array(schema) });
}

/** A JSON response entry for `createRoute({ responses })`, with an optional example body. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string, example?: unknown) {
  return { content: { 'application/json': example === undefined ? { schema } : { schema, example } }, description };
}

/** A JSON request body entry for `createRoute({ request })`; an optional one is validated only when sent. */
export function jsonBody<T extends z.ZodType, R extends boolean = true>(schema: T, required: R = true as R) {
  return { body: { content: { 'application/json': { schema } }, required } };
}

/** Error responses most authenticated routes can return. */
export const commonErrors = {
  400: jsonResponse(errorSchema, 'Invalid input', {
    error: 'ValidationFailed',
    message: 'Invalid request: name: Required',
    issues: [{ path: 'name', message: 'Required' }],
  }),
  401: jsonResponse(errorSchema, 'Missing or invalid API token', {
    error: 'Unauthorized',
    message: 'Invalid API token: it does not exist or was revoked.',
  }),
  403: jsonResponse(errorSchema, 'Not allowed for this user', {
    error: 'Forbidden',
    message: 'Only organization admins can register registries; ask one to do it.',
  }),
  404: jsonResponse(errorSchema, 'Not found (or not in your organization)', {
    error: 'NotFound',
    message: 'Service 5f0c… not found.',
  }),
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

/** Every authenticated route's security requirement: a bearer API token. */
export const bearerSecurity = [{ bearerAuth: [] }];

/** A handler of `route` (`AppRouteHandler<typeof routes.x>`): valid params, query and body, and the caller. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
