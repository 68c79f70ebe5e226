import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { createUserHandlers } from './users.handlers';
import { userRoles } from '../../domain/roles';

export const userSchema = z
  .object({
    id: z.string().uuid(),
    organizationId: z.string().uuid(),
    name: z.string(),
    email: z.string().nullable(),
    role: z.enum(userRoles),
    createdAt: z.string(),
  })
  .openapi('User');
const tokenSchema = z
  .object({ id: z.string().uuid(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() })
  .openapi('ApiToken');
const newTokenSchema = tokenSchema
  .extend({ token: z.string().openapi({ description: 'Shown once; store it now.' }) })
  .openapi('NewApiToken');
const userInput = z.object({
  organizationId: z.string().uuid().optional(),
  name: z.string().trim().min(1).max(100),
  email: z.string().email().optional(),
  role: z.enum(userRoles).default('member'),
});
const userPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  email: z.string().email().nullable().optional(),
  role: z.enum(userRoles).optional(),
});
const tokenParams = uuidParam.extend({
  tokenId: z
    .string()
    .uuid()
    .openapi({ param: { name: 'tokenId', in: 'path' } }),
});

const tags = ['Users'];
const base = { tags, security: bearerSecurity };
const meSchema = userSchema
  .extend({
    notices: z.array(z.string()).openapi({
      description: 'Warnings about this Kiln every user should see (e.g. builds running without isolation)',
    }),
  })
  .openapi('Me');
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
  request: { query: z.object({ organizationId: z.string().uuid().optional() }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(userSchema) }), 'Users'), ...commonErrors },
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
  responses: { 201: jsonResponse(userSchema.extend({ token: z.string() }), 'Created'), ...commonErrors },
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
export const listTokens = createRoute({
  ...base,
  method: 'get',
  path: '/users/{id}/tokens',
  summary: "A user's API tokens, never the secret (yourself; organization admin: users they may manage)",
  request: { params: uuidParam },
  responses: {
    200: jsonResponse(z.object({ items: z.array(tokenSchema) }), 'Tokens (never the secret)'),
    ...commonErrors,
  },
});
export const createToken = createRoute({
  ...base,
  method: 'post',
  path: '/users/{id}/tokens',
  summary: 'Mint an API token (yourself; organization admin: users of their organization not above their role)',
  request: { params: uuidParam, ...jsonBody(z.object({ name: z.string().trim().min(1).max(100) })) },
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

/** `/me` and `/users` router. */
export function usersRouter(deps: AppDeps) {
  const h = createUserHandlers(deps);
  return createRouter()
    .openapi(me, h.me)
    .openapi(listUsers, h.list)
    .openapi(createUser, h.create)
    .openapi(getUser, h.get)
    .openapi(updateUser, h.update)
    .openapi(deleteUser, h.remove)
    .openapi(listTokens, h.listTokens)
    .openapi(createToken, h.createToken)
    .openapi(deleteToken, h.deleteToken);
}
