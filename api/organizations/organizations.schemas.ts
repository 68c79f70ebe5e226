import { z } from '@hono/zod-openapi';

/** An organization as the API shows it. */
export const organizationSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    baseImagePrefix: z.string().nullable().openapi({
      description:
        'Registry mirror prefix put before the base images of Build Wizard Dockerfiles; null for the official images',
    }),
    createdAt: z.string(),
  })
  .openapi('Organization');
/** The body that creates an organization. */
export const organizationInput = z.object({
  name: z.string().trim().min(1).max(100).openapi({ example: 'platform-team' }),
});

/** The body that changes an organization's name or base image mirror. */
export const organizationUpdate = z
  .object({
    name: organizationInput.shape.name.optional(),
    baseImagePrefix: z.string().trim().max(200).nullable().optional().openapi({
      example: 'mirror.acme.dev/dockerhub/',
      description: 'Ends in "/"; null or "" for the official images',
    }),
  })
  .strict();
