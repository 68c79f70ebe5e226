import { z } from '@hono/zod-openapi';
import { registryKinds } from '../../domain/connections';

/** A registry as the API shows it (never the password). */
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
/**
 * host[:port] with an optional scheme, e.g. harbor.example.com or http://127.0.0.1:5000. No regex flags: the
 * OpenAPI pattern is the regex source, and a trailing `/i` there would match nothing.
 */
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
/** The body that registers a registry. */
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
/** The body that changes a registry. */
export const registryPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  url: registryUrl.optional(),
  project: project.optional(),
  username: z.string().trim().min(1).optional(),
  password: z.string().min(1).optional(),
  insecure: z.boolean().optional(),
});

/** A changed registry, with the image-pull Secrets its new credentials reached. */
export const updatedRegistrySchema = registrySchema.extend({
  pullSecrets: z
    .array(z.object({ serviceId: z.string(), state: z.string(), message: z.string().optional() }))
    .openapi({ description: "Services' image-pull Secrets refreshed because the credentials changed" }),
});

/** What Test connection found (`GET /v2/` with the credentials). */
export const registryCheckSchema = z
  .object({
    host: z.string(),
    authenticated: z.boolean().openapi({ description: 'The registry asked for a login and accepted it' }),
    message: z.string(),
  })
  .openapi('RegistryCheck');
/** Registry credentials to test before they are stored. */
export const registryCheckInput = z.object({
  kind: z.enum(registryKinds),
  url: registryUrl.optional().openapi({ description: 'Registry host; defaults to docker.io for Docker Hub' }),
  username: z.string().trim().min(1),
  password: z.string().min(1),
  insecure: z.boolean().default(false),
});
