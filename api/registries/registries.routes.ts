import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { createRegistryHandlers } from './registries.handlers';
import { registryKinds } from '../../domain/connections';

export const registrySchema = z
  .object({
    id: z.string().uuid(),
    organizationId: z.string().uuid(),
    name: z.string(),
    kind: z.enum(registryKinds),
    url: z.string(),
    project: z.string(),
    username: z.string(),
    hasPassword: z.boolean(),
    insecure: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Registry');
// host[:port] with an optional scheme, e.g. harbor.example.com or http://127.0.0.1:5000. No regex flags: the
// OpenAPI pattern is the regex source, and a trailing `/i` there would match nothing.
export const registryUrl = z
  .string()
  .trim()
  .regex(
    /^([hH][tT][tT][pP][sS]?:\/\/)?[a-zA-Z0-9.-]+(:\d{1,5})?\/?$/,
    'must be a registry host like harbor.example.com[:port]',
  )
  .transform((url) => url.replace(/\/+$/, ''));
const project = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, 'lower-case letters, digits, . _ - and /');
export const registryInput = z.object({
  organizationId: z.string().uuid().optional(),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(registryKinds),
  url: registryUrl.optional().openapi({ description: 'Registry host; defaults to docker.io for Docker Hub' }),
  project: project.openapi({ description: 'Harbor project or Docker Hub namespace', example: 'library' }),
  username: z.string().trim().min(1),
  password: z.string().min(1),
  insecure: z.boolean().default(false),
});
export const registryPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  url: registryUrl.optional(),
  project: project.optional(),
  username: z.string().trim().min(1).optional(),
  password: z.string().min(1).optional(),
  insecure: z.boolean().optional(),
});

const base = { tags: ['Registries'], security: bearerSecurity };
export const listRegistries = createRoute({
  ...base,
  method: 'get',
  path: '/',
  summary: 'Registries of your organization, never the passwords (member: read)',
  request: { query: z.object({ organizationId: z.string().uuid().optional() }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(registrySchema) }), 'Registries'), ...commonErrors },
});
export const createRegistry = createRoute({
  ...base,
  method: 'post',
  path: '/',
  summary: 'Add a Harbor, Docker Hub or other OCI registry (organization admin)',
  request: jsonBody(registryInput),
  responses: { 201: jsonResponse(registrySchema, 'Created'), ...commonErrors },
});
export const getRegistry = createRoute({
  ...base,
  method: 'get',
  path: '/{id}',
  summary: 'A registry, never the password (member: read)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(registrySchema, 'Registry'), ...commonErrors },
});
export const updateRegistry = createRoute({
  ...base,
  method: 'patch',
  path: '/{id}',
  summary:
    'Change a registry (organization admin); a new host or scheme (insecure changed) clears the stored password unless this request gives one',
  request: { params: uuidParam, ...jsonBody(registryPatch) },
  responses: {
    200: jsonResponse(
      registrySchema.extend({
        pullSecrets: z
          .array(z.object({ serviceId: z.string(), state: z.string(), message: z.string().optional() }))
          .openapi({ description: "Services' image-pull Secrets refreshed because the credentials changed" }),
      }),
      'Updated',
    ),
    ...commonErrors,
  },
});
export const deleteRegistry = createRoute({
  ...base,
  method: 'delete',
  path: '/{id}',
  summary: 'Remove a registry no service uses (organization admin)',
  request: { params: uuidParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});

/** `/registries` router. */
export function registriesRouter(deps: AppDeps) {
  const h = createRegistryHandlers(deps);
  return createRouter()
    .openapi(listRegistries, h.list)
    .openapi(createRegistry, h.create)
    .openapi(getRegistry, h.get)
    .openapi(updateRegistry, h.update)
    .openapi(deleteRegistry, h.remove);
}
