import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, errorSchema, jsonBody, jsonResponse, uuidParam } from '../openapi';
import {
  gitCheckInput,
  gitCheckSchema,
  registrationInput,
  registrationSchema,
  tokenCheckInput,
  tokenCheckSchema,
} from './provider-checks.schemas';

const checkErrors = {
  422: jsonResponse(errorSchema, 'The token cannot work: unreachable address, rejected token or missing scope'),
  502: jsonResponse(errorSchema, 'The provider rejected the organization token or is unreachable'),
  503: jsonResponse(errorSchema, 'The provider rate limited Kiln'),
} as const;

const base = { tags: ['Git providers'], security: bearerSecurity };
export const checkGitServer = createRoute({
  ...base,
  method: 'post',
  path: '/git-checks',
  summary:
    'Test a Git server without the GitLab/GitHub API (a plain git server): git ls-remote of a repository with the token (organization admin)',
  request: jsonBody(gitCheckInput),
  responses: {
    200: jsonResponse(gitCheckSchema, 'git reached the repository'),
    ...commonErrors,
    422: jsonResponse(errorSchema, 'git could not read the repository (what git said)'),
  },
});
export const checkNewToken = createRoute({
  ...base,
  method: 'post',
  path: '/provider-checks',
  summary: 'Check a token before registering it: reachable, accepted, scopes (organization admin)',
  request: jsonBody(tokenCheckInput),
  responses: { 200: jsonResponse(tokenCheckSchema, 'The token works'), ...commonErrors, ...checkErrors },
});
/** `POST /provider-checks/{id}`: checks a stored connection's token. */
export const checkStoredToken = createRoute({
  ...base,
  method: 'post',
  path: '/provider-checks/{id}',
  summary: "Re-check a registered Git provider's token (organization admin)",
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(tokenCheckSchema, 'The token works'),
    ...commonErrors,
    ...checkErrors,
    409: jsonResponse(errorSchema, 'The connection has no token since its URL changed'),
  },
});
export const registerServiceWebhook = createRoute({
  tags: ['Webhooks'],
  security: bearerSecurity,
  method: 'post',
  path: '/services/{id}/webhook/register',
  summary:
    'One-click: create the Kiln webhook in the GitLab project / GitHub repository (idempotent; organization admin)',
  request: { params: uuidParam, ...jsonBody(registrationInput) },
  responses: {
    200: jsonResponse(registrationSchema, 'Registered (or already there)'),
    ...commonErrors,
    ...checkErrors,
    409: jsonResponse(errorSchema, 'No token is registered for the repository host, or it is a plain git server'),
  },
});
