import { z } from '@hono/zod-openapi';

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
export const organizationInput = z.object({
  name: z.string().trim().min(1).max(100).openapi({ example: 'platform-team' }),
});

export const organizationUpdate = z
  .object({
    name: organizationInput.shape.name.optional(),
    baseImagePrefix: z.string().trim().max(200).nullable().optional().openapi({
      example: 'mirror.acme.dev/dockerhub/',
      description: 'Ends in "/"; null or "" for the official images',
    }),
  })
  .strict();
