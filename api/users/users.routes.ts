import { createRoute } from '@hono/zod-openapi';
import {
  bearerSecurity,
  commonErrors,
  itemsOf,
  jsonBody,
  jsonResponse,
  organizationQuery,
  uuidParam,
} from '../openapi';
import {
  createdUserSchema,
  meSchema,
  newTokenSchema,
  tokenInput,
  tokenParams,
  tokenSchema,
  userInput,
  userPatch,
  userSchema,
} from './users.schemas';

const tags = ['Users'];
const base = { tags, security: bearerSecurity };
export const me = createRoute({
  ...base,
  method: 'get',
  path: '/me',
  summary: 'The caller (any role)',
  responses: { 200: jsonResponse(meSchema, 'The signed-in user'), ...commonErrors },
});
export const listUsers = createRoute({
  ...base,
  method: 'get',
  path: '/users',
  summary: 'Users of your organization (organization admin; instance admins: all, or ?organizationId=)',
  request: { query: organizationQuery },
  responses: { 200: jsonResponse(itemsOf(userSchema), 'Users'), ...commonErrors },
});
export const createUser = createRoute({
  ...base,
  method: 'post',
  path: '/users',
  summary: 'Create a user with a first API token (organization admin)',
  description:
    'Organization admins create users in their own organization; instance admins in any (`organizationId`). ' +
    'Nobody can give a role above their own.',
  request: jsonBody(userInput),
  responses: { 201: jsonResponse(createdUserSchema, 'Created'), ...commonErrors },
});
export const getUser = createRoute({
  ...base,
  method: 'get',
  path: '/users/{id}',
  summary: 'A user (yourself; organization admin: users of their organization)',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(userSchema, 'User'), ...commonErrors },
});
export const updateUser = createRoute({
  ...base,
  method: 'patch',
  path: '/users/{id}',
  summary: 'Change name, email or role (organization admin)',
  description:
    'Organization admins change users of their organization whose role is not above theirs; nobody can give a ' +
    'role above their own, and the last instance admin cannot be demoted.',
  request: { params: uuidParam, ...jsonBody(userPatch) },
  responses: { 200: jsonResponse(userSchema, 'Updated'), ...commonErrors },
});
export const deleteUser = createRoute({
  ...base,
  method: 'delete',
  path: '/users/{id}',
  summary: 'Delete a user (organization admin; same limits as PATCH, never yourself or the last instance admin)',
  request: { params: uuidParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});
/** `GET /users/{id}/tokens`. */
export const listTokens = createRoute({
  ...base,
  method: 'get',
  path: '/users/{id}/tokens',
  summary: "A user's API tokens, never the secret (yourself; organization admin: users they may manage)",
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(itemsOf(tokenSchema), 'Tokens (never the secret)'),
    ...commonErrors,
  },
});
export const createToken = createRoute({
  ...base,
  method: 'post',
  path: '/users/{id}/tokens',
  summary: 'Mint an API token (yourself; organization admin: users of their organization not above their role)',
  request: { params: uuidParam, ...jsonBody(tokenInput) },
  responses: { 201: jsonResponse(newTokenSchema, 'Created; the token is shown once'), ...commonErrors },
});
export const deleteToken = createRoute({
  ...base,
  method: 'delete',
  path: '/users/{id}/tokens/{tokenId}',
  summary: 'Revoke an API token (yourself; organization admin: users they may manage)',
  request: { params: tokenParams },
  responses: { 204: { description: 'Revoked' }, ...commonErrors },
});
