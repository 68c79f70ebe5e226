import { z } from '@hono/zod-openapi';
import { gitProviderKinds } from '../../domain/connections';

/** Service names become image names and Kubernetes namespaces, so they follow DNS-1123 label rules. */
export const dnsLabel = z
  .string()
  .trim()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lower-case letters, digits and "-", starting and ending alphanumeric');

/** A service as the API shows it. */
export const serviceSchema = z
  .object({
    id: z.string().uuid(),
    organizationId: z.string().uuid(),
    name: z.string(),
    gitProvider: z.enum(gitProviderKinds),
    repoUrl: z.string(),
    projectPath: z.string(),
    projectId: z.string().nullable(),
    defaultBranch: z.string(),
    registryId: z.string().uuid().nullable(),
    clusterId: z.string().uuid().nullable(),
    deployNamespace: z.string().openapi({ description: 'Defaults to the service name' }),
    deployPort: z.number().nullable().openapi({ description: 'Container port; deploys also create a Service for it' }),
    autoCiEnabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Service');

const projectId = z
  .union([z.string().regex(/^\d+$/), z.number().int().positive()])
  .transform(String)
  .openapi({ description: 'Numeric GitLab project / GitHub repository id', type: 'string' });

/** The body that registers a service. */
export const serviceInput = z.object({
  organizationId: z.string().uuid().optional(),
  name: dnsLabel,
  gitProvider: z.enum(gitProviderKinds),
  repoUrl: z.string().url().openapi({ example: 'https://gitlab.example.com/team/api.git' }),
  projectPath: z
    .string()
    .regex(/^[\w.-]+(\/[\w.-]+)+$/, 'group/project or owner/repo')
    .optional()
    .openapi({ description: 'Derived from repoUrl when omitted' }),
  projectId: projectId.optional(),
  defaultBranch: z.string().trim().min(1).default('main'),
  registryId: z.string().uuid().nullable().optional(),
  clusterId: z.string().uuid().nullable().optional(),
  deployNamespace: dnsLabel.nullable().optional(),
  deployPort: z.number().int().min(1).max(65535).nullable().optional(),
});

/** The body that changes a service. */
export const servicePatch = serviceInput
  .omit({ organizationId: true, defaultBranch: true })
  .partial()
  .extend({
    defaultBranch: z.string().trim().min(1).optional(),
    projectId: projectId.nullable().optional(),
  });

/** `group/project` from a clone URL, lower-case, without `.git`. */
export function projectPathFromUrl(repoUrl: string): string | undefined {
  const pathname = new URL(repoUrl).pathname.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  return pathname.includes('/') ? pathname.toLowerCase() : undefined;
}
