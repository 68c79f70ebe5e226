import { createRoute, z } from '@hono/zod-openapi';
import { userRoles } from '../../db/schema';
import type { AppDeps } from '../deps';
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonResponse, uuidParam } from '../openapi';
import { createUserHandlers } from './users.handlers';

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
export const me = createRoute({
  ...base,
  method: 'get',
  path: '/me',
  summary: 'The caller',
  responses: { 200: jsonResponse(userSchema, 'The signed-in user'), ...commonErrors },
});
export const listUsers = createRoute({
  ...base,
  method: 'get',
  path: '/users',
  request: { query: z.object({ organizationId: z.string().uuid().optional() }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(userSchema) }), 'Users'), ...commonErrors },
});
export const createUser = createRoute({
  ...base,
  method: 'post',
  path: '/users',
  summary: 'Create a user with a first API token (admin)',
  request: jsonBody(userInput),
  responses: { 201: jsonResponse(userSchema.extend({ token: z.string() }), 'Created'), ...commonErrors },
});
export const getUser = createRoute({
  ...base,
  method: 'get',
  path: '/users/{id}',
  request: { params: uuidParam },
  responses: { 200: jsonResponse(userSchema, 'User'), ...commonErrors },
});
export const updateUser = createRoute({
  ...base,
  method: 'patch',
  path: '/users/{id}',
  summary: 'Change name, email or role (admin)',
  request: { params: uuidParam, ...jsonBody(userPatch) },
  responses: { 200: jsonResponse(userSchema, 'Updated'), ...commonErrors },
});
export const deleteUser = createRoute({
  ...base,
  method: 'delete',
  path: '/users/{id}',
  request: { params: uuidParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors },
});
export const listTokens = createRoute({
  ...base,
  method: 'get',
  path: '/users/{id}/tokens',
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
  request: { params: uuidParam, ...jsonBody(z.object({ name: z.string().trim().min(1).max(100) })) },
  responses: { 201: jsonResponse(newTokenSchema, 'Created; the token is shown once'), ...commonErrors },
});
export const deleteToken = createRoute({
  ...base,
  method: 'delete',
  path: '/users/{id}/tokens/{tokenId}',
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
