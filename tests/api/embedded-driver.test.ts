// The same API flows on the embedded PGlite driver (the default without DATABASE_URL).
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendBuildLogLines } from '../../db/build-logs';
import { builds } from '../../db/schema';
import { createOrgWithMember, createTestApi, expectStatus, type TestApi } from '../support/api-client';
import { startTestTemporal, type TestTemporal } from '../support/temporal';
import { gitlabHeaders, gitlabPush } from '../support/webhook-payloads';

let temporal: TestTemporal;
let api: TestApi;

beforeAll(async () => {
  temporal = await startTestTemporal();
  api = await createTestApi({ temporal: temporal.client, driver: 'pglite' });
});
afterAll(async () => {
  await api?.close();
  await temporal?.stop();
});

describe('embedded driver (PGlite)', () => {
  it('runs services, webhooks with duplicate deliveries, builds and logs', async () => {
    const org = await createOrgWithMember(api, 'embedded');
    const member = api.client(org.token);
    const admin = api.client(org.adminToken);
    const connection = { organizationId: org.organizationId, kind: 'gitlab' as const, token: 't', verify: false };
    await api.client()['git-providers'].$post({ json: connection });
    const registry = await expectStatus(
      admin.registries.$post({
        json: { name: 'r', kind: 'oci', url: '127.0.0.1:5000', project: 'p', username: 'u', password: 'p' },
      }),
      201,
    );
    const service = { name: 'emb', gitProvider: 'gitlab' as const, repoUrl: 'https://gitlab.example.com/e/emb.git' };
    const svc = await expectStatus(member.services.$post({ json: { ...service, registryId: registry.id } }), 201);
    await member.services[':id']['auto-ci'].$put({ param: { id: svc.id }, json: { enabled: true } });
    const secret = (await expectStatus(admin.services[':id'].webhook.$get({ param: { id: svc.id } }), 200)).secretToken;

    const body = JSON.stringify(gitlabPush({ id: 77, path: 'e/emb' }));
    const headers = gitlabHeaders('Push Hook', secret, randomUUID());
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => api.app.request('/api/v1/webhook/gitlab', { method: 'POST', headers, body })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const rows = await api.db.select().from(builds).where(eq(builds.serviceId, svc.id));
    expect(rows).toHaveLength(1);

    await appendBuildLogLines(api.db, rows[0]!.id, [{ seq: 1000, stream: 'stdout', text: 'hello', at: new Date() }]);
    const logs = await member.builds[':id'].logs.$get({ param: { id: rows[0]!.id }, query: { search: 'hello' } });
    expect((await expectStatus(logs, 200)).lines.map((l) => l.text)).toEqual(['hello']);
    const list = await expectStatus(member.services[':id'].builds.$get({ param: { id: svc.id }, query: {} }), 200);
    expect(list.total).toBe(1);
  });
});
