import { z } from '@hono/zod-openapi';

const subprojectPath = z
  .string()
  .max(200)
  .regex(
    /^[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+)*$/,
    'must be a sub-project folder like apps/web (letters, digits, . _ @ + - and /)',
  )
  .refine(
    (path) => !path.split('/').some((part) => part === '..' || part === '.'),
    'must be a sub-project folder like apps/web, without . or .. segments',
  )
  .openapi({ description: 'Sub-project folder as Detect found it (`apps/web`); the repository root when left out' });

/** Body of `POST /services/{id}/dockerfile`. */
export const proposeInput = z.object({ path: subprojectPath.optional() }).strict();
/** Text files only: a NUL byte would be cut or refused by git and buildah somewhere downstream. */
const textFile = (what: string, max: number) =>
  z
    .string()
    .max(max, `${what} is over ${max} characters; Kiln stores at most that`)
    .refine((text) => !text.includes('\0'), `${what} must be text without NUL bytes`);

/** The reviewed files, for "Use for builds" and the merge/pull request. */
export const wizardFilesInput = z
  .object({
    dockerfile: textFile('The Dockerfile', 65_536)
      .refine((text) => text.trim() !== '', 'The Dockerfile is empty')
      .openapi({ description: 'The reviewed Dockerfile' }),
    dockerignore: textFile('The .dockerignore', 16_384).default(''),
    path: subprojectPath.optional(),
  })
  .strict();

/** What `POST /services/{id}/dockerfile` proposes. */
export const proposalSchema = z
  .object({
    dockerfile: z.string(),
    dockerignore: z.string(),
    reasons: z.array(z.string()).openapi({ description: 'What was detected and why each choice was made' }),
    detected: z.object({
      path: z.string(),
      language: z.string().nullable(),
      framework: z.string().nullable(),
      packageManager: z.string().nullable(),
      typescript: z.boolean(),
      dockerfilePath: z.string().nullable().openapi({ description: "The repository's own Dockerfile, which wins" }),
      port: z.number().int().nullable(),
      buildType: z.enum(['single', 'mono']),
      subprojects: z.array(
        z.object({
          name: z.string(),
          path: z.string(),
          language: z.string().nullable(),
          framework: z.string().nullable(),
        }),
      ),
    }),
    ref: z.string(),
    sha: z.string(),
  })
  .openapi('DockerfileProposal');
/** The Dockerfile stored with "Use for builds". */
export const storedSchema = z
  .object({ dockerfile: z.string().nullable(), dockerignore: z.string().nullable() })
  .openapi('WizardDockerfile', { description: 'Used for builds only while the repository has no Dockerfile' });
/** The merge/pull request the wizard opened or found. */
export const changeRequestSchema = z
  .object({
    provider: z.enum(['gitlab', 'github']),
    number: z.number().int().openapi({ description: 'Merge request iid or pull request number' }),
    url: z.string(),
    created: z.boolean().openapi({ description: 'False when the open one from kiln/build-wizard was found' }),
  })
  .openapi('WizardChangeRequest');
