import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecretBuildArgs } from '../../db/secret-build-args';
import type { InferRequestType } from 'hono/client';
import { createOrgWithMember, createTestApi, expectStatus, type KilnClient, type TestApi } from '../support/api-client';

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

type AutoCi = KilnClient['services'][':id']['auto-ci'];

/** A fresh service of the member's organization; returns its id. */
async function newService(name: string): Promise<string> {
  const json = { name, gitProvider: 'gitlab' as const, repoUrl: `https://gitlab.example.com/team/${name}.git` };
  return (await expectStatus(api.client(member.token).services.$post({ json }), 201)).id;
}

const autoCi = (token: string): AutoCi => api.client(token).services[':id']['auto-ci'];
const read = (id: string, token = member.token) => autoCi(token).$get({ param: { id } });

/** The raw row as PostgreSQL holds it, every column as text. */
async function rawRow(serviceId: string): Promise<{ text: string; enc: string | null }> {
  const [row] = await sql`select row_to_json(a)::text as text, a.secret_build_args_enc as enc
    from auto_ci_settings a where service_id = ${serviceId}`;
  return { text: row!.text as string, enc: row!.enc as string | null };
}

async function storedSecrets(serviceId: string): Promise<Record<string, string>> {
  return openSecretBuildArgs(api.cipher, (await rawRow(serviceId)).enc);
}

function put(id: string, json: InferRequestType<AutoCi['$put']>['json'], token = member.token) {
  return autoCi(token).$put({ param: { id }, json });
}

describe('secret build args in the Auto CI API', () => {
  it('are stored encrypted and answered with their names only', async () => {
    const id = await newService('secret-write');
    const saved = await expectStatus(
      put(id, { buildArgs: { NODE_ENV: 'production' }, secretBuildArgs: { NPM_TOKEN: npmToken } }),
      200,
    );
    expect(saved.secretBuildArgNames).toEqual(['NPM_TOKEN']);
    expect(saved.buildArgs).toEqual({ NODE_ENV: 'production' });
    expect(JSON.stringify(saved)).not.toContain(npmToken);
    const settings = await expectStatus(read(id), 200);
    expect(settings.secretBuildArgNames).toEqual(['NPM_TOKEN']);
    expect(JSON.stringify(settings)).not.toContain(npmToken);

    const raw = await rawRow(id);
    expect(raw.text).not.toContain(npmToken);
    expect(raw.text).not.toContain(Buffer.from(npmToken).toString('base64'));
    expect(raw.enc).toMatch(/^v1\./);
    expect(await storedSecrets(id)).toEqual({ NPM_TOKEN: npmToken });
  });

  it('keep their value when a save leaves them out, replace on a new value, and delete on null', async () => {
    const id = await newService('secret-round-trip');
    await expectStatus(put(id, { secretBuildArgs: { NPM_TOKEN: npmToken, SENTRY_TOKEN: sentryToken } }), 200);
    const untouched = await expectStatus(put(id, { buildProfile: 'large', buildArgs: { A: '1' } }), 200);
    expect(untouched.secretBuildArgNames).toEqual(['NPM_TOKEN', 'SENTRY_TOKEN']);
    expect(await storedSecrets(id)).toEqual({ NPM_TOKEN: npmToken, SENTRY_TOKEN: sentryToken });

    const rotated = await expectStatus(put(id, { secretBuildArgs: { NPM_TOKEN: newNpmToken } }), 200);
    expect(rotated.secretBuildArgNames).toEqual(['NPM_TOKEN', 'SENTRY_TOKEN']);
    expect(await storedSecrets(id)).toEqual({ NPM_TOKEN: newNpmToken, SENTRY_TOKEN: sentryToken });

    const removed = await expectStatus(put(id, { secretBuildArgs: { SENTRY_TOKEN: null, NEVER_SET: null } }), 200);
    expect(removed.secretBuildArgNames).toEqual(['NPM_TOKEN']);
    expect(await storedSecrets(id)).toEqual({ NPM_TOKEN: newNpmToken });

    await expectStatus(put(id, { secretBuildArgs: { NPM_TOKEN: null } }), 200);
    expect((await rawRow(id)).enc).toBeNull();
    expect((await expectStatus(read(id), 200)).secretBuildArgNames).toEqual([]);
  });

  it('refuse a name that is both plain and secret, and change nothing', async () => {
    const id = await newService('secret-conflict');
    await put(id, { buildArgs: { NODE_ENV: 'production' }, secretBuildArgs: { NPM_TOKEN: npmToken } });
    const before = await rawRow(id);

    const both = await expectStatus(
      put(id, { buildArgs: { NPM_TOKEN: 'plain' }, secretBuildArgs: { NPM_TOKEN: newNpmToken } }),
      400,
    );
    expect(both.message).toContain('NPM_TOKEN cannot be both a plain and a secret build arg');
    // A plain arg named like a stored secret, and a secret named like a stored plain arg.
    await expectStatus(put(id, { buildArgs: { NPM_TOKEN: 'plain' } }), 400);
    await expectStatus(put(id, { secretBuildArgs: { NODE_ENV: 'secret-production' } }), 400);
    expect(await rawRow(id)).toEqual(before);

    // Moving a plain arg to a secret one in a single save works.
    const moved = await expectStatus(
      put(id, { buildArgs: {}, secretBuildArgs: { NODE_ENV: 'secret-production' } }),
      200,
    );
    expect(moved.secretBuildArgNames).toEqual(['NODE_ENV', 'NPM_TOKEN']);
  });

  it('refuse bad names and values with a 400 that does not repeat the value', async () => {
    const id = await newService('secret-invalid');
    await put(id, { secretBuildArgs: { NPM_TOKEN: npmToken } });
    const before = await rawRow(id);
    for (const [secretBuildArgs, expected] of [
      [{ 'bad-name': sentryToken }, /build arg names are identifiers/],
      [{ '1ST': sentryToken }, /build arg names are identifiers/],
      [{ SHORT: 'abc' }, /at least 4 characters/],
      [{ BIG: 'x'.repeat(70_000) }, /at most 64 KiB/],
      [{ NUMBER: 12345 }, /string/i],
    ] as const) {
      // Sent raw: the table holds values the typed client refuses to send (a number).
      const refused = await api.request('PUT', `/services/${id}/auto-ci`, {
        token: member.token,
        body: { secretBuildArgs },
      });
      expect(refused.status, JSON.stringify(secretBuildArgs).slice(0, 80)).toBe(400);
      expect(refused.body.message).toMatch(expected);
      expect(JSON.stringify(refused.body)).not.toContain(sentryToken);
      expect(JSON.stringify(refused.body)).not.toContain('abc');
    }
    expect(await rawRow(id)).toEqual(before);
  });

  it('cannot be read or written by another organization', async () => {
    const id = await newService('secret-other-org');
    await put(id, { secretBuildArgs: { NPM_TOKEN: npmToken } });
    const refused = await expectStatus(read(id, other.token), 404);
    expect(JSON.stringify(refused)).not.toContain(npmToken);
    await expectStatus(put(id, { secretBuildArgs: { NPM_TOKEN: null } }, other.token), 404);
    expect(await storedSecrets(id)).toEqual({ NPM_TOKEN: npmToken });
  });
});
