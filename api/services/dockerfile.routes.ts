import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, errorSchema, jsonBody, jsonResponse, uuidParam } from '../openapi';
import {
  changeRequestSchema,
  proposalSchema,
  proposeInput,
  storedSchema,
  wizardFilesInput,
} from './dockerfile.schemas';

const tags = ['Build Wizard'];
const unprocessable = jsonResponse(
  errorSchema,
  'The repository or provider could not do it (clone failed, no token …)',
);

export const proposeDockerfile = createRoute({
  tags,
  security: bearerSecurity,
  method: 'post',
  path: '/{id}/dockerfile',
  summary: 'Build Wizard: propose a Dockerfile and .dockerignore from what Detect finds on the default branch (member)',
  request: { params: uuidParam, ...jsonBody(proposeInput, false) },
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
  request: { params: uuidParam, ...jsonBody(wizardFilesInput) },
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
  request: { params: uuidParam, ...jsonBody(wizardFilesInput) },
  responses: {
    200: jsonResponse(changeRequestSchema, 'The open merge/pull request'),
    ...commonErrors,
    422: unprocessable,
  },
});
