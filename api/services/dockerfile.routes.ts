import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { bearerSecurity, commonErrors, createRouter, errorSchema, jsonResponse, uuidParam } from '../openapi';
import { createDockerfileHandlers } from './dockerfile.handlers';
import { proposeInput, wizardFilesInput } from './dockerfile.schemas';

const tags = ['Build Wizard'];
const proposalSchema = z
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
const storedSchema = z
  .object({ dockerfile: z.string().nullable(), dockerignore: z.string().nullable() })
  .openapi('WizardDockerfile', { description: 'Used for builds only while the repository has no Dockerfile' });
const changeRequestSchema = z
  .object({
    provider: z.enum(['gitlab', 'github']),
    number: z.number().int().openapi({ description: 'Merge request iid or pull request number' }),
    url: z.string(),
    created: z.boolean().openapi({ description: 'False when the open one from kiln/build-wizard was found' }),
  })
  .openapi('WizardChangeRequest');
const unprocessable = jsonResponse(
  errorSchema,
  'The repository or provider could not do it (clone failed, no token …)',
);
const json = <T extends z.ZodType>(schema: T, required: boolean) => ({
  body: { content: { 'application/json': { schema } }, required },
});

export const proposeDockerfile = createRoute({
  tags,
  security: bearerSecurity,
  method: 'post',
  path: '/{id}/dockerfile',
  summary: 'Build Wizard: propose a Dockerfile and .dockerignore from what Detect finds on the default branch (member)',
  request: { params: uuidParam, ...json(proposeInput, false) },
  responses: { 200: jsonResponse(proposalSchema, 'The proposal and why'), ...commonErrors, 422: unprocessable },
});
export const getWizardDockerfile = createRoute({
  tags,
  security: bearerSecurity,
  method: 'get',
  path: '/{id}/dockerfile',
  summary: 'The Dockerfile stored with "Use for builds", if any (member)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(storedSchema, 'Stored files (null when none)'), ...commonErrors },
});
export const useWizardDockerfile = createRoute({
  tags,
  security: bearerSecurity,
  method: 'put',
  path: '/{id}/dockerfile',
  summary:
    '"Use for builds": store the reviewed files; builds use them only while the repository has no Dockerfile (member)',
  request: { params: uuidParam, ...json(wizardFilesInput, true) },
  responses: { 200: jsonResponse(storedSchema, 'Stored'), ...commonErrors },
});
export const forgetWizardDockerfile = createRoute({
  tags,
  security: bearerSecurity,
  method: 'delete',
  path: '/{id}/dockerfile',
  summary: 'Stop using the Build Wizard Dockerfile for builds (member)',
  request: { params: uuidParam },
  responses: { 204: { description: 'Removed' }, ...commonErrors },
});
export const openChangeRequest = createRoute({
  tags,
  security: bearerSecurity,
  method: 'post',
  path: '/{id}/dockerfile/merge-request',
  summary:
    'Open a merge request (GitLab) or pull request (GitHub) adding the files on branch kiln/build-wizard; a second call returns the open one (member)',
  request: { params: uuidParam, ...json(wizardFilesInput, true) },
  responses: {
    200: jsonResponse(changeRequestSchema, 'The open merge/pull request'),
    ...commonErrors,
    422: unprocessable,
  },
});

/** `/services/{id}/dockerfile` router: the Build Wizard. */
export function dockerfileRouter(deps: AppDeps) {
  const h = createDockerfileHandlers(deps);
  return createRouter()
    .openapi(proposeDockerfile, h.propose)
    .openapi(getWizardDockerfile, h.get)
    .openapi(useWizardDockerfile, h.use)
    .openapi(forgetWizardDockerfile, h.forget)
    .openapi(openChangeRequest, h.openChangeRequest);
}
