import { z } from '@hono/zod-openapi';
import { gitProviderKinds } from '../../domain/connections';

/** What a token check found: who the token is, its scopes, expiry and warnings. */
export const tokenCheckSchema = z
  .object({
    kind: z.enum(gitProviderKinds),
    identity: z.string(),
    tokenType: z.enum(['gitlab-access-token', 'github-classic', 'github-fine-grained']),
    scopes: z.array(z.string()).nullable(),
    expiresAt: z.string().nullable(),
    warnings: z.array(z.string()),
  })
  .openapi('TokenCheck');
/** A token to check before it is stored. */
export const tokenCheckInput = z.object({
  kind: z.enum(gitProviderKinds),
  baseUrl: z.string().url().optional().openapi({ description: 'Defaults to https://gitlab.com or https://github.com' }),
  token: z.string().trim().min(1),
});
/** What registering the Kiln webhook did. */
export const registrationSchema = z
  .object({
    hookId: z.number().int(),
    outcome: z.enum(['created', 'updated', 'unchanged']),
    url: z.string(),
    events: z.array(z.string()),
  })
  .openapi('WebhookRegistration');
/** The body of webhook registration. */
export const registrationInput = z.object({
  force: z
    .boolean()
    .default(false)
    .openapi({ description: 'Re-send settings and secret to an existing hook (after rotating the secret)' }),
});
/** What `git ls-remote` of one repository found. */
export const gitCheckSchema = z
  .object({ repositoryUrl: z.string(), branches: z.array(z.string()), usedToken: z.boolean(), message: z.string() })
  .openapi('GitCheck');
/** A repository to test, with a token or a stored connection's. */
export const gitCheckInput = z.object({
  repositoryUrl: z
    .string()
    .url()
    .openapi({ description: 'A repository on the Git server, e.g. https://git.acme.dev/team/app.git' }),
  token: z.string().trim().min(1).optional().openapi({ description: 'A token not stored yet' }),
  baseUrl: z
    .string()
    .url()
    .optional()
    .openapi({ description: 'Address the new token is for; the repository must be on it' }),
  connectionId: z.string().uuid().optional().openapi({ description: "Use this stored connection's token" }),
});
