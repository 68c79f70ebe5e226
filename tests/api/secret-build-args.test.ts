import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecretBuildArgs } from '../../db/secret-build-args';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';

const npmToken = 'npm_SECRET-value-4b7d2a';
const newNpmToken = 'npm_ROTATED-value-91ce0f';
const sentryToken = 'sntrys_SECRET-value-77e1';

let api: TestApi;
let sql: postgres.Sql;
let member: Awaited<ReturnType<typeof createOrgWithMember>>;
let other: Awaited<ReturnType<typeof createOrgWithMember>>;

beforeAll(async () => {
  api = await createTestApi();
  sql = postgres(api.url, { max: 1, onnotice: () => {} });
  member = await createOrgWithMember(api, 'secret-args');
  other = await createOrgWithMember(api, 'secret-args-other');
});
afterAll(async () => {
  await sql?.end();
  await api?.close();
});

/** A fresh service of the member's organization; returns its Auto CI URL. */
async function newService(name: string): Promise<{ id: string; url: string }> {
  const svc = await api.request('POST', '/services', {
    token: member.token,
    body: { name, gitProvider: 'gitlab', repoUrl: `https://gitlab.example.com/team/${name}.git` },
  });
  expect(svc.status, JSON.stringify(svc.body)).toBe(201);
  return { id: svc.body.id, url: `/services/${svc.body.id}/auto-ci` };
}

/** The raw row as PostgreSQL holds it, every column as text. */
async function rawRow(serviceId: string): Promise<{ text: string; enc: string | null }> {
  const [row] = await sql`select row_to_json(a)::text as text, a.secret_build_args_enc as enc
    from auto_ci_settings a where service_id = ${serviceId}`;
  return { text: row!.text as string, enc: row!.enc as string | null };
}

async function storedSecrets(serviceId: string): Promise<Record<string, string>> {
  return openSecretBuildArgs(api.cipher, (await rawRow(serviceId)).enc);
}

function put(url: string, body: unknown, token = member.token) {
  return api.request('PUT', url, { token, body });
}

describe('secret build args in the Auto CI API', () => {
  it('are stored encrypted and answered with their names only', async () => {
    const { id, url } = await newService('secret-write');
    const saved = await put(url, { buildArgs: { NODE_ENV: 'production' }, secretBuildArgs: { NPM_TOKEN: npmToken } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.secretBuildArgNames).toEqual(['NPM_TOKEN']);
    expect(saved.body.buildArgs).toEqual({ NODE_ENV: 'production' });
    expect(JSON.stringify(saved.body)).not.toContain(npmToken);
    const read = await api.request('GET', url, { token: member.token });
    expect(read.body.secretBuildArgNames).toEqual(['NPM_TOKEN']);
    expect(JSON.stringify(read.body)).not.toContain(npmToken);

    const raw = await rawRow(id);
    expect(raw.text).not.toContain(npmToken);
    expect(raw.text).not.toContain(Buffer.from(npmToken).toString('base64'));
    expect(raw.enc).toMatch(/^v1\./);
    expect(await storedSecrets(id)).toEqual({ NPM_TOKEN: npmToken });
  });

  it('keep their value when a save leaves them out, replace on a new value, and delete on null', async () => {
    const { id, url } = await newService('secret-round-trip');
    await put(url, { secretBuildArgs: { NPM_TOKEN: npmToken, SENTRY_TOKEN: sentryToken } });
    const untouched = await put(url, { buildProfile: 'large', buildArgs: { A: '1' } });
    expect(untouched.body.secretBuildArgNames).toEqual(['NPM_TOKEN', 'SENTRY_TOKEN']);
    expect(await storedSecrets(id)).toEqual({ NPM_TOKEN: npmToken, SENTRY_TOKEN: sentryToken });

    const rotated = await put(url, { secretBuildArgs: { NPM_TOKEN: newNpmToken } });
    expect(rotated.body.secretBuildArgNames).toEqual(['NPM_TOKEN', 'SENTRY_TOKEN']);
    expect(await storedSecrets(id)).toEqual({ NPM_TOKEN: newNpmToken, SENTRY_TOKEN: sentryToken });

    const removed = await put(url, { secretBuildArgs: { SENTRY_TOKEN: null, NEVER_SET: null } });
    expect(removed.body.secretBuildArgNames).toEqual(['NPM_TOKEN']);
    expect(await storedSecrets(id)).toEqual({ NPM_TOKEN: newNpmToken });

    await put(url, { secretBuildArgs: { NPM_TOKEN: null } });
    expect((await rawRow(id)).enc).toBeNull();
    expect((await api.request('GET', url, { token: member.token })).body.secretBuildArgNames).toEqual([]);
  });

  it('refuse a name that is both plain and secret, and change nothing', async () => {
    const { id, url } = await newService('secret-conflict');
    await put(url, { buildArgs: { NODE_ENV: 'production' }, secretBuildArgs: { NPM_TOKEN: npmToken } });
    const before = await rawRow(id);

    const both = await put(url, { buildArgs: { NPM_TOKEN: 'plain' }, secretBuildArgs: { NPM_TOKEN: newNpmToken } });
    expect(both.status).toBe(400);
    expect(both.body.message).toContain('NPM_TOKEN cannot be both a plain and a secret build arg');
    // A plain arg named like a stored secret, and a secret named like a stored plain arg.
    expect((await put(url, { buildArgs: { NPM_TOKEN: 'plain' } })).status).toBe(400);
    expect((await put(url, { secretBuildArgs: { NODE_ENV: 'secret-production' } })).status).toBe(400);
    expect(await rawRow(id)).toEqual(before);

    // Moving a plain arg to a secret one in a single save works.
    const moved = await put(url, { buildArgs: {}, secretBuildArgs: { NODE_ENV: 'secret-production' } });
    expect(moved.status).toBe(200);
    expect(moved.body.secretBuildArgNames).toEqual(['NODE_ENV', 'NPM_TOKEN']);
  });

  it('refuse bad names and values with a 400 that does not repeat the value', async () => {
    const { id, url } = await newService('secret-invalid');
    await put(url, { secretBuildArgs: { NPM_TOKEN: npmToken } });
    const before = await rawRow(id);
    for (const [secretBuildArgs, expected] of [
      [{ 'bad-name': sentryToken }, /build arg names are identifiers/],
      [{ '1ST': sentryToken }, /build arg names are identifiers/],
      [{ SHORT: 'abc' }, /at least 4 characters/],
      [{ BIG: 'x'.repeat(70_000) }, /at most 64 KiB/],
      [{ NUMBER: 12345 }, /string/i],
    ] as const) {
      const refused = await put(url, { secretBuildArgs });
      expect(refused.status, JSON.stringify(secretBuildArgs).slice(0, 80)).toBe(400);
      expect(refused.body.message).toMatch(expected);
      expect(JSON.stringify(refused.body)).not.toContain(sentryToken);
      expect(JSON.stringify(refused.body)).not.toContain('abc');
    }
    expect(await rawRow(id)).toEqual(before);
  });

  it('cannot be read or written by another organization', async () => {
    const { id, url } = await newService('secret-other-org');
    await put(url, { secretBuildArgs: { NPM_TOKEN: npmToken } });
    const read = await api.request('GET', url, { token: other.token });
    expect(read.status).toBe(404);
    expect(JSON.stringify(read.body)).not.toContain(npmToken);
    expect((await put(url, { secretBuildArgs: { NPM_TOKEN: null } }, other.token)).status).toBe(404);
    expect(await storedSecrets(id)).toEqual({ NPM_TOKEN: npmToken });
  });
});
