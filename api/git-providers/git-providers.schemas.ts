import { z } from '@hono/zod-openapi';
import { gitProviderKinds } from '../../domain/connections';

/** A Git connection as the API shows it (never the token). */
export const gitProviderSchema = z
  .object({
    id: z.string().uuid(),
    organizationId: z.string().uuid(),
    kind: z.enum(gitProviderKinds),
    baseUrl: z.string(),
    hasToken: z.boolean(),
    providerApi: z.boolean().openapi({
      description:
        'False for a plain git server: Kiln clones only, and posts no commit statuses, reads no pipelines and registers no webhooks there',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('GitProvider');

const tokenCheckSchema = z
  .object({
    identity: z.string(),
    scopes: z.array(z.string()).nullable(),
    expiresAt: z.string().nullable(),
    warnings: z.array(z.string()),
  })
  .nullable()
  .openapi('ConnectionTokenCheck', { description: 'What the token check found; null when verify was false' });
/** A Git connection with what checking its token found. */
export const checkedProviderSchema = gitProviderSchema.extend({ check: tokenCheckSchema });
const baseUrl = z
  .string()
  .url()
  .transform((url) => url.replace(/\/+$/, ''));
const verifyFlag = z
  .boolean()
  .default(true)
  .openapi({
    description:
      "Check the token with the provider's API before storing it (reachable, accepted, scopes). Turn off only for a " +
      'Git server without the GitLab/GitHub API, such as a plain git mirror.',
  });
const providerApiFlag = z.boolean().openapi({
  description:
    'Whether the server has the GitLab/GitHub API. False for a plain git server (a bare git-http-backend, a mirror): ' +
    '`kind` then only says which webhook shape it sends, the token is stored unchecked (verify is ignored), and commit ' +
    'statuses, pipelines and webhook registration are skipped with a message saying so.',
});
/** The body that adds a Git connection. */
export const gitProviderInput = z.object({
  organizationId: z.string().uuid().optional(),
  kind: z.enum(gitProviderKinds),
  baseUrl: baseUrl.optional().openapi({ description: 'Defaults to https://gitlab.com or https://github.com' }),
  token: z.string().trim().min(1).openapi({
    description:
      'GitLab: a personal/project access token with api. GitHub: repo (classic) or Contents read and Commit statuses write (fine-grained). Plain git: the password or token the server accepts over HTTPS',
  }),
  verify: verifyFlag,
  providerApi: providerApiFlag.default(true),
});
/** The body that changes a Git connection. */
export const gitProviderPatch = z.object({
  baseUrl: baseUrl.optional(),
  token: z.string().trim().min(1).optional(),
  verify: verifyFlag,
  providerApi: providerApiFlag.optional(),
});
