import { z } from '@hono/zod-openapi';
import { buildArgNamePattern } from '../../db/secret-build-args';
import { normalizeBranchFilter } from '../webhooks/branch-filter';
import { dnsLabel } from './services.schemas';
import { buildProfiles } from '../../domain/build-profile';
import { registryKinds } from '../../domain/connections';

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

const secretBuildArgValue = z
  .string()
  .min(4, 'secret build args need at least 4 characters (shorter values cannot be redacted from build logs)')
  .max(65_536, 'secret build args hold at most 64 KiB');

/** `{ NAME: value }` with every name checked, the bad one named in the error (zod alone says "Invalid key"). */
function buildArgMap<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).superRefine((map, ctx) => {
    for (const name of Object.keys(map)) {
      if (!buildArgNamePattern.test(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'build arg names are identifiers (letters, digits and _, not starting with a digit)',
        });
      }
    }
  });
}

const forkDescription =
  'Build GitLab merge requests whose source project is a fork, and GitHub pull requests whose head repository is ' +
  'a fork (off by default; changing it needs an organization admin). ' +
  "Risk: a fork's author, who has no access to this project, chooses the code and Dockerfile that run in Kiln's " +
  'builder with network access and push to the registry under this service. Such builds get no secret build args, ' +
  'are tagged mr-<iid> / pr-<n> and the sha only, use their own layer cache and are never deployed. Off: answered ' +
  "with reason 'fork_merge_request' / 'fork_pull_request'.";
const draftDescription =
  'Build GitHub draft pull requests too (off by default: a draft builds once it is marked ready for review). ' +
  "Off: answered with reason 'draft_pull_request'. Drafts from forks also need buildForkMergeRequests.";

/** One monorepo sub-project to build: its name, folder and Dockerfile. */
export const subprojectSchema = z
  .object({ name: dnsLabel, path: relativePath, dockerfilePath: relativePath })
  .openapi('AutoCiSubproject');

/** The body that changes a service's Auto CI settings (every field optional). */
export const autoCiInput = z
  .object({
    enabled: z.boolean(),
    branchFilter,
    buildProfile: z.enum(buildProfiles),
    dockerfilePath: relativePath,
    buildArgs: buildArgMap(z.string()),
    secretBuildArgs: buildArgMap(secretBuildArgValue.nullable()).openapi({
      description:
        'Secret build args, given to builds as build secrets (`RUN --mount=type=secret,id=NAME` reads /run/secrets/NAME), never as ARGs. A value sets or replaces one, null deletes it, names left out (or the whole field) keep theirs. Never returned.',
      example: { NPM_TOKEN: 'npm_…', OLD_TOKEN: null },
    }),
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
    buildForkMergeRequests: z.boolean().openapi({ description: forkDescription }),
    buildDraftPullRequests: z.boolean().openapi({ description: draftDescription }),
  })
  .partial()
  .openapi('AutoCiSettingsInput');

/** A service's Auto CI settings as the API shows them. */
export const autoCiSchema = z
  .object({
    serviceId: z.string().uuid(),
    enabled: z.boolean(),
    branchFilter: z.array(z.string()),
    buildProfile: z.enum(buildProfiles),
    dockerfilePath: z.string(),
    buildArgs: z.record(z.string(), z.string()),
    secretBuildArgNames: z
      .array(z.string())
      .openapi({ description: 'Names of the secret build args that are set; their values are never returned' }),
    autoDeploy: z.boolean(),
    imageName: z.string().openapi({ description: 'Defaults to the service name' }),
    imagePrefix: z.string().nullable(),
    subprojects: z.array(subprojectSchema),
    buildChangedOnly: z.boolean(),
    supersedeRunning: z.boolean(),
    submodules: z.boolean(),
    buildForkMergeRequests: z.boolean().openapi({ description: forkDescription }),
    buildDraftPullRequests: z.boolean().openapi({ description: draftDescription }),
    registry: z
      .object({ id: z.string(), name: z.string(), kind: z.enum(registryKinds), url: z.string(), project: z.string() })
      .nullable(),
    /** Image repositories builds push to (one per selected sub-project in a monorepo). */
    imageRepositories: z.array(z.string()),
    readiness: z.object({ ready: z.boolean(), missing: z.array(z.string()) }),
    updatedAt: z.string(),
  })
  .openapi('AutoCiSettings');

/** What saving the settings did to the service's image-pull Secret. */
export const pullSecretSchema = z
  .object({
    state: z.enum(['created', 'updated', 'unchanged', 'skipped', 'failed']),
    name: z.string().optional(),
    namespace: z.string().optional(),
    reason: z.string().optional(),
    message: z.string().optional().openapi({ description: 'Why the Secret could not be made, e.g. Permission denied' }),
  })
  .openapi('PullSecretSync', { description: 'The `{service}-registry-cred` image-pull Secret, made on every save' });
/** Saved settings, with what became of the image-pull Secret. */
export const savedAutoCiSchema = autoCiSchema.extend({ pullSecret: pullSecretSchema });
