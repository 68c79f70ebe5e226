import { z } from '@hono/zod-openapi';

/** Where a service's webhooks go and the secret they carry. */
export const webhookInfoSchema = z
  .object({
    provider: z.enum(['gitlab', 'github']),
    urls: z.array(z.object({ environment: z.enum(['production', 'local']), url: z.string() })),
    secretToken: z.string().openapi({ description: 'Paste as the Secret token (GitLab) or Secret (GitHub)' }),
    signingToken: z
      .string()
      .nullable()
      .openapi({ description: "GitLab signing token (Standard Webhooks, whsec_…) for GitLab's signed deliveries" }),
    events: z.array(z.string()),
    rotatedAt: z.string(),
    plainGitServer: z.string().nullable().openapi({
      description:
        "Set when the repository's Git connection is a plain git server (providerApi false): says that Kiln cannot register the webhook nor post commit statuses there; null otherwise",
    }),
  })
  .openapi('WebhookInfo');
