import { z } from '@hono/zod-openapi';
import { buildProfiles } from '../../db/schema';
import { normalizeBranchFilter } from '../webhooks/branch-filter';
import { dnsLabel } from './services.schemas';

const relativePath = z
  .string()
  .trim()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a path inside the repository')
  .transform((p) => p.replace(/^\.\//, ''));
const imageName = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, 'lower-case letters, digits, . _ - and /');
const branchFilter = z
  .union([z.string(), z.array(z.string()).max(50)])
  .transform(normalizeBranchFilter)
  .refine((f) => f.length > 0, 'choose at least one branch, a glob like "release/*", or "*"')
  .refine((f) => f.every((b) => !/[\s~^:\\]|\.\./.test(b)), 'branch names cannot contain spaces, ~ ^ : \\ or ".."')
  .openapi({ description: 'One branch, a list, glob patterns, or "*"', example: ['main', 'release/*'] });

export const subprojectSchema = z
  .object({ name: dnsLabel, path: relativePath, dockerfilePath: relativePath })
  .openapi('AutoCiSubproject');

export const autoCiInput = z
  .object({
    enabled: z.boolean(),
    branchFilter,
    buildProfile: z.enum(buildProfiles),
    dockerfilePath: relativePath,
    buildArgs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'build arg names are identifiers'), z.string()),
    autoDeploy: z.boolean(),
    imageName: imageName.nullable(),
    imagePrefix: z
      .string()
      .trim()
      .regex(/^[a-z0-9]([a-z0-9._-]*)$/, 'lower-case letters, digits, . _ -')
      .nullable(),
    subprojects: z
      .array(subprojectSchema)
      .max(50)
      .refine((list) => new Set(list.map((s) => s.name)).size === list.length, 'sub-project names must be unique'),
    buildChangedOnly: z
      .boolean()
      .openapi({ description: 'Monorepo: build only the sub-projects a push changed (all when unknown)' }),
    supersedeRunning: z.boolean().openapi({ description: 'A newer build of the same branch cancels the running one' }),
    submodules: z.boolean().openapi({ description: 'Clone git submodules too' }),
  })
  .partial()
  .openapi('AutoCiSettingsInput');

export const autoCiSchema = z
  .object({
    serviceId: z.string().uuid(),
    enabled: z.boolean(),
    branchFilter: z.array(z.string()),
    buildProfile: z.enum(buildProfiles),
    dockerfilePath: z.string(),
    buildArgs: z.record(z.string(), z.string()),
    autoDeploy: z.boolean(),
    imageName: z.string().openapi({ description: 'Defaults to the service name' }),
    imagePrefix: z.string().nullable(),
    subprojects: z.array(subprojectSchema),
    buildChangedOnly: z.boolean(),
    supersedeRunning: z.boolean(),
    submodules: z.boolean(),
    registry: z
      .object({ id: z.string(), name: z.string(), kind: z.string(), url: z.string(), project: z.string() })
      .nullable(),
    /** Image repositories builds push to (one per selected sub-project in a monorepo). */
    imageRepositories: z.array(z.string()),
    readiness: z.object({ ready: z.boolean(), missing: z.array(z.string()) }),
    updatedAt: z.string(),
  })
  .openapi('AutoCiSettings');
