import { z } from '@hono/zod-openapi';

const language = z.string().nullable();
const detectedSubprojectSchema = z.object({
  name: z.string(),
  path: z.string(),
  dockerfilePath: z.string().nullable(),
  language,
  framework: z.string().nullable(),
});

/** What Detect Services found. */
export const detectionSchema = z
  .object({
    ref: z.string(),
    sha: z.string(),
    language,
    framework: z.string().nullable(),
    packageManager: z.string().nullable(),
    buildType: z.enum(['single', 'mono']),
    typescript: z.boolean(),
    dockerfilePath: z.string().nullable(),
    subprojects: z.array(detectedSubprojectSchema),
  })
  .openapi('Detection');

/** Body of `POST /services/{id}/detect` (optional). */
export const detectInput = z.object({
  branch: z.string().trim().min(1).optional().openapi({ description: "Defaults to the service's default branch" }),
});
