// The same API flows on the embedded PGlite driver (the default without DATABASE_URL).
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendBuildLogLines } from '../../db/build-logs';
import { builds } from '../../db/schema';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';
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
    await api.request('POST', '/git-providers', {
      body: { organizationId: org.organizationId, kind: 'gitlab', token: 't', verify: false },
    });
    const registry = await api.request('POST', '/registries', {
      token: org.adminToken,
      body: { name: 'r', kind: 'oci', url: '127.0.0.1:5000', project: 'p', username: 'u', password: 'p' },
    });
    const svc = await api.request('POST', '/services', {
      token: org.token,
      body: {
        name: 'emb',
        gitProvider: 'gitlab',
        repoUrl: 'https://gitlab.example.com/e/emb.git',
        registryId: registry.body.id,
      },
    });
    await api.request('PUT', `/services/${svc.body.id}/auto-ci`, { token: org.token, body: { enabled: true } });
    const secret = (await api.request('GET', `/services/${svc.body.id}/webhook`, { token: org.adminToken })).body
      .secretToken;

    const body = JSON.stringify(gitlabPush({ id: 77, path: 'e/emb' }));
    const headers = gitlabHeaders('Push Hook', secret, randomUUID());
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => api.app.request('/api/v1/webhook/gitlab', { method: 'POST', headers, body })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const rows = await api.db.select().from(builds).where(eq(builds.serviceId, svc.body.id));
    expect(rows).toHaveLength(1);

    await appendBuildLogLines(api.db, rows[0]!.id, [{ seq: 1000, stream: 'stdout', text: 'hello', at: new Date() }]);
    const logs = await api.request('GET', `/builds/${rows[0]!.id}/logs?search=hello`, { token: org.token });
    expect(logs.body.lines.map((l: { text: string }) => l.text)).toEqual(['hello']);
    const list = await api.request('GET', `/services/${svc.body.id}/builds`, { token: org.token });
    expect(list.body.total).toBe(1);
  });
});
