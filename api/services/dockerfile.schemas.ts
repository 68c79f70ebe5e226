import { z } from '@hono/zod-openapi';

const subprojectPath = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+)*$/, 'a sub-project folder like apps/web')
  .refine((path) => !path.split('/').some((part) => part === '..' || part === '.'), 'no . or .. segments')
  .openapi({ description: 'Sub-project folder as Detect found it (`apps/web`); the repository root when left out' });

/** Body of `POST /services/{id}/dockerfile`. */
export const proposeInput = z.object({ path: subprojectPath.optional() }).strict();
/** The reviewed files, for "Use for builds" and the merge/pull request. */
export const wizardFilesInput = z
  .object({
    dockerfile: z.string().min(1).max(65_536).openapi({ description: 'The reviewed Dockerfile' }),
    dockerignore: z.string().max(16_384).default(''),
    path: subprojectPath.optional(),
  })
  .strict();
