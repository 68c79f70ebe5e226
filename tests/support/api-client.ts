import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { z } from '@hono/zod-openapi';
import { hc, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import { expect } from 'vitest';
import { createApp, type KilnApp } from '../../api/app';
import type { AppDeps, UserRole } from '../../api/deps';
import type { errorSchema } from '../../api/openapi';
import { ensureBootstrap } from '../../db/bootstrap';
import { createSecretCipher, type SecretCipher } from '../../db/crypto';
import { createDb, type Database } from '../../db/client';
import { createTestDatabase } from './database';

/** Response bodies are asserted field by field in tests, so they stay loosely typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The API under `/api/v1` typed by its routes, as the UI's client is (`hc<KilnApp>`). */
export type KilnClient = ReturnType<typeof typedClient>;

export interface TestApi {
  app: ReturnType<typeof createApp>;
  db: Database;
  url: string;
  cipher: SecretCipher;
  temporal: Client;
  adminToken: string;
  /** Calls the app in-process; `token` defaults to the admin's, `null` sends none. */
  request(method: string, path: string, options?: RequestOptions): Promise<{ status: number; body: JsonBody }>;
  /** The typed client over the app in-process; `token` defaults to the admin's, `null` sends none. */
  client(token?: string | null): KilnClient;
  close(): Promise<void>;
}

/**
 * The API over a fresh PostgreSQL database with a bootstrapped admin. Without `temporal` the client points at
 * a lazy connection that is never dialled — fine for suites that start no builds.
 */
export async function createTestApi(
  options: {
    temporal?: Client;
    clock?: () => Date;
    driver?: 'postgres' | 'pglite';
    config?: Partial<AppDeps['config']>;
  } = {},
): Promise<TestApi> {
  const database = options.driver === 'pglite' ? await createEmbeddedDatabase() : await createTestDatabase();
  const cipher = createSecretCipher(randomBytes(32));
  const temporal = options.temporal ?? new Client();
  const deps: AppDeps = {
    db: database.db,
    temporal,
    cipher,
    clock: options.clock,
    config: {
      publicUrl: 'https://kiln.example.com',
      localUrl: 'https://tunnel.example.dev',
      temporalNamespace: 'default',
      ...options.config,
    },
  };
  const app = createApp(deps);
  const { adminToken } = await ensureBootstrap(database.db, { dataDir: 'memory://' });
  const request: TestApi['request'] = async (method, path, opts = {}) => {
    const token = opts.token === undefined ? adminToken : opts.token;
    const headers: Record<string, string> = { ...opts.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? safeJson(text) : null };
  };
  return {
    app,
    db: database.db,
    url: database.url,
    cipher,
    temporal,
    adminToken: adminToken!,
    request,
    client: (token) => typedClient(app, token === undefined ? adminToken! : token),
    close: () => database.close(),
  };
}

function typedClient(app: ReturnType<typeof createApp>, token: string | null) {
  return hc<KilnApp>('http://kiln.test', {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      app.request(input instanceof Request ? input : String(input), init),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  }).api.v1;
}

/** The body a route answers with success status `S`, read from its client response type. */
type BodyAt<R, S> = R extends ClientResponse<infer T, infer RS, infer _F> ? (RS extends S ? T : never) : never;
/** Every Kiln error answer (api/errors.ts, the validation hook): `{ error, message, issues? }`. */
type ErrorBody = z.infer<typeof errorSchema>;
type Answer<R, S extends number> = S extends 204 ? undefined : S extends SuccessStatusCode ? BodyAt<R, S> : ErrorBody;

/**
 * Expects the response to have `status` (naming the body it got otherwise) and returns its JSON body: typed as the
 * route declares it for a success status, as the error body otherwise, `undefined` for a 204.
 */
export async function expectStatus<R extends ClientResponse<unknown>, S extends number>(
  response: Promise<R> | R,
  status: S,
): Promise<Answer<R, S>> {
  const res = await response;
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as Answer<R, S>;
}

/**
 * Creates an organization (as the instance admin) with one member and one organization admin, each with a
 * token; `token` is the member's. Tests that configure registries, clusters or Git connections use `adminToken`.
 */
export async function createOrgWithMember(api: TestApi, name: string) {
  const org = await expectStatus(api.client().organizations.$post({ json: { name } }), 201);
  const member = await createUserIn(api, org.id, `${name}-dev`, 'member');
  const admin = await createUserIn(api, org.id, `${name}-admin`, 'org_admin');
  return {
    organizationId: org.id,
    userId: member.id,
    token: member.token,
    adminId: admin.id,
    adminToken: admin.token,
  };
}

/** Creates a user of `role` in an organization (as the instance admin) and returns its id and first token. */
export async function createUserIn(api: TestApi, organizationId: string, name: string, role: UserRole) {
  const user = await expectStatus(api.client().users.$post({ json: { organizationId, name, role } }), 201);
  return { id: user.id, token: user.token };
}

async function createEmbeddedDatabase() {
  const handle = await createDb({ dataDir: 'memory://' });
  await handle.migrate();
  return { url: 'memory://', db: handle.db, close: () => handle.close() };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
