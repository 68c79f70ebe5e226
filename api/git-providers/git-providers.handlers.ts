import { eq } from 'drizzle-orm';
import { gitProviders } from '../../db/schema';
import type { z } from '@hono/zod-openapi';
import type { Database } from '../../db/client';
import { defaultProviderBaseUrl } from '../../domain/connections';
import { connectionOrigin } from '../../domain/credentials';
import { organizationForCreate, requireRole } from '../auth';
import type { AppDeps } from '../deps';
import { apiError } from '../errors';
import { verifyProviderToken } from '../provider-checks/verify-token';
import { listScope } from '../scope';
import type { AppRouteHandler } from '../openapi';
import type * as routes from './git-providers.routes';
import { loadVisibleConnection, type GitConnectionRow } from './load-connection';
import type { gitProviderInput, gitProviderPatch } from './git-providers.schemas';

type Row = GitConnectionRow;
const view = (row: Row) => ({
  id: row.id,
  organizationId: row.organizationId,
  kind: row.kind,
  baseUrl: row.baseUrl,
  hasToken: row.tokenEnc.length > 0,
  providerApi: row.providerApi,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** What the token check found (never the token), or null when it was skipped. */
function checkView(check: TokenCheck) {
  if (!check) return null;
  return { identity: check.identity, scopes: check.scopes, expiresAt: check.expiresAt, warnings: check.warnings };
}

/** Handlers for `/git-providers`. */
export function createGitProviderHandlers(deps: AppDeps) {
  return { ...gitProviderReadHandlers(deps), ...gitProviderChangeHandlers(deps) };
}

/** The organization's Git connections and one of them, never with the token. */
function gitProviderReadHandlers({ db }: AppDeps) {
  const listGitProviders: AppRouteHandler<typeof routes.listGitProviders> = async (c) => {
    const where = listScope(c.get('user'), gitProviders.organizationId, c.req.valid('query').organizationId);
    const rows = await db.select().from(gitProviders).where(where).orderBy(gitProviders.createdAt);
    return c.json({ items: rows.map(view) }, 200);
  };
  const getGitProvider: AppRouteHandler<typeof routes.getGitProvider> = async (c) =>
    c.json(view(await loadVisibleConnection(db, c.get('user'), c.req.valid('param').id)), 200);
  return { listGitProviders, getGitProvider };
}

/** Adding, changing and removing Git connections (organization admins). */
function gitProviderChangeHandlers(deps: AppDeps) {
  const createGitProvider: AppRouteHandler<typeof routes.createGitProvider> = async (c) => {
    const user = c.get('user');
    requireRole(user, 'org_admin', 'connect Git providers');
    const input = c.req.valid('json');
    const organizationId = organizationForCreate(user, input.organizationId);
    const { row, check } = await insertConnection(deps, organizationId, input);
    return c.json({ ...view(row), check: checkView(check) }, 201);
  };
  const updateGitProvider: AppRouteHandler<typeof routes.updateGitProvider> = async (c) => {
    const user = c.get('user');
    const current = await loadVisibleConnection(deps.db, user, c.req.valid('param').id);
    requireRole(user, 'org_admin', 'change Git providers');
    const { row, check } = await updateConnection(deps, current, c.req.valid('json'));
    return c.json({ ...view(row), check: checkView(check) }, 200);
  };
  const deleteGitProvider: AppRouteHandler<typeof routes.deleteGitProvider> = async (c) => {
    const user = c.get('user');
    const current = await loadVisibleConnection(deps.db, user, c.req.valid('param').id);
    requireRole(user, 'org_admin', 'remove Git providers');
    await deps.db.delete(gitProviders).where(eq(gitProviders.id, current.id));
    return c.body(null, 204);
  };
  return { createGitProvider, updateGitProvider, deleteGitProvider };
}

type TokenCheck = Awaited<ReturnType<typeof verifyProviderToken>> | null;

// One token per origin and provider: with two, which one a repository gets would depend on creation order.
async function refuseSecondConnection(
  db: Database,
  target: Pick<Row, 'organizationId' | 'kind' | 'baseUrl'>,
  self?: string,
): Promise<void> {
  const origin = connectionOrigin(target);
  const rows = await db.select().from(gitProviders).where(eq(gitProviders.organizationId, target.organizationId));
  const other = rows.find((r) => r.id !== self && r.kind === target.kind && connectionOrigin(r) === origin);
  if (other) {
    throw apiError(
      409,
      `The organization already has a ${target.kind} connection for ${origin ?? target.baseUrl} (${other.id}): change its token instead of adding another.`,
    );
  }
}

async function insertConnection(
  { db, cipher }: AppDeps,
  organizationId: string,
  input: z.infer<typeof gitProviderInput>,
): Promise<{ row: Row; check: TokenCheck }> {
  const baseUrl = input.baseUrl ?? defaultProviderBaseUrl[input.kind];
  // A token that cannot work is refused with the provider's reason before anything is stored; a plain git server
  // has no API to ask (its token is tested with a clone instead).
  const check =
    input.verify && input.providerApi
      ? await verifyProviderToken({ kind: input.kind, baseUrl, token: input.token })
      : null;
  await refuseSecondConnection(db, { organizationId, kind: input.kind, baseUrl });
  const [row] = await db
    .insert(gitProviders)
    .values({
      organizationId,
      kind: input.kind,
      baseUrl,
      tokenEnc: cipher.encrypt(input.token),
      providerApi: input.providerApi,
    })
    .returning();
  return { row: row!, check };
}

async function updateConnection(
  { db, cipher }: AppDeps,
  current: Row,
  { baseUrl, token, verify, providerApi }: z.infer<typeof gitProviderPatch>,
): Promise<{ row: Row; check: TokenCheck }> {
  const nextApi = providerApi ?? current.providerApi;
  const nextUrl = baseUrl ?? current.baseUrl;
  await refuseSecondConnection(db, { ...current, baseUrl: nextUrl }, current.id);
  // A token belongs to one origin: a new origin without a new token clears it, and the old one is never
  // sent there, not even to check it.
  const moved = connectionOrigin({ kind: current.kind, baseUrl: nextUrl }) !== connectionOrigin(current);
  const kept = moved || current.tokenEnc === '' ? undefined : cipher.decrypt(current.tokenEnc);
  const checkToken = token ?? kept;
  const check =
    verify && nextApi && (token || baseUrl || providerApi) && checkToken
      ? await verifyProviderToken({ kind: current.kind, baseUrl: nextUrl, token: checkToken })
      : null;
  const [row] = await db
    .update(gitProviders)
    .set({
      baseUrl: nextUrl,
      tokenEnc: token ? cipher.encrypt(token) : moved ? '' : current.tokenEnc,
      providerApi: nextApi,
      updatedAt: new Date(),
    })
    .where(eq(gitProviders.id, current.id))
    .returning();
  return { row: row!, check };
}
