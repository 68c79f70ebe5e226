import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import type { AppDeps, UserRole } from '../../api/deps';
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

export interface TestApi {
  app: ReturnType<typeof createApp>;
  db: Database;
  url: string;
  cipher: SecretCipher;
  temporal: Client;
  adminToken: string;
  /** Calls the app in-process; `token` defaults to the admin's, `null` sends none. */
  request(method: string, path: string, options?: RequestOptions): Promise<{ status: number; body: JsonBody }>;
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
    close: () => database.close(),
  };
}

/**
 * Creates an organization (as the instance admin) with one member and one organization admin, each with a
 * token; `token` is the member's. Tests that configure registries, clusters or Git connections use `adminToken`.
 */
export async function createOrgWithMember(api: TestApi, name: string) {
  const org = await api.request('POST', '/organizations', { body: { name } });
  if (org.status !== 201) throw new Error(`creating organization ${name}: ${org.status} ${JSON.stringify(org.body)}`);
  const member = await createUserIn(api, org.body.id, `${name}-dev`, 'member');
  const admin = await createUserIn(api, org.body.id, `${name}-admin`, 'org_admin');
  return {
    organizationId: org.body.id as string,
    userId: member.id,
    token: member.token,
    adminId: admin.id,
    adminToken: admin.token,
  };
}

/** Creates a user of `role` in an organization (as the instance admin) and returns its id and first token. */
export async function createUserIn(api: TestApi, organizationId: string, name: string, role: UserRole) {
  const user = await api.request('POST', '/users', { body: { organizationId, name, role } });
  if (user.status !== 201) throw new Error(`creating user ${name}: ${user.status} ${JSON.stringify(user.body)}`);
  return { id: user.body.id as string, token: user.body.token as string };
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
