import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => api?.close());

describe('authentication', () => {
  it('serves health, the OpenAPI document and the docs page without a token', async () => {
    expect((await api.request('GET', '/health', { token: null })).status).toBe(200);
    const spec = await api.request('GET', '/openapi.json', { token: null });
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/organizations',
        '/api/v1/services/{id}/auto-ci',
        '/api/v1/services/{id}/webhook',
        '/api/v1/services/{id}/webhook/deliveries/{deliveryId}/redeliver',
        '/api/v1/webhook/gitlab',
        '/api/v1/webhook/github',
        '/api/v1/builds/{id}/logs/stream',
        '/api/v1/services/{id}/builds',
      ]),
    );
    expect(spec.body.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
    const docs = await api.app.request('/api/v1/docs');
    expect(await docs.text()).toContain('/api/v1/docs/assets/swagger-ui-bundle.js');
    const asset = await api.app.request('/api/v1/docs/assets/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
  });

  it('rejects missing and unknown tokens with a JSON 401', async () => {
    const missing = await api.request('GET', '/me', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ error: 'Unauthorized' });
    const wrong = await api.request('GET', '/me', { token: 'kiln_not-a-token' });
    expect(wrong.status).toBe(401);
  });

  it('identifies the bootstrap admin', async () => {
    const me = await api.request('GET', '/me');
    expect(me.body).toMatchObject({ name: 'admin', role: 'instance_admin', notices: [] });
  });

  it('tells every signed-in user when local builds run without isolation', async () => {
    const chroot = await createTestApi({ config: { localIsolation: 'chroot' } });
    try {
      const org = await createOrgWithMember(chroot, 'trusting');
      const me = await chroot.request('GET', '/me', { token: org.token });
      expect(me.body.notices).toEqual([
        expect.stringMatching(
          /^Builds run without isolation \(KILN_LOCAL_ISOLATION=chroot\).*Build trusted code only\.$/,
        ),
      ]);
    } finally {
      await chroot.close();
    }
  });

  it('answers unknown routes and invalid bodies with JSON 4xx', async () => {
    expect((await api.request('GET', '/nope')).body).toMatchObject({ error: 'NotFound' });
    const bad = await api.request('POST', '/organizations', { body: { name: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('ValidationFailed');
    expect(bad.body.issues[0].path).toBe('name');
  });

  it('lets members see only their own organization and not manage users', async () => {
    const a = await createOrgWithMember(api, 'org-a');
    const b = await createOrgWithMember(api, 'org-b');
    const orgs = await api.request('GET', '/organizations', { token: a.token });
    expect(orgs.body.items.map((o: { name: string }) => o.name)).toEqual(['org-a']);
    expect((await api.request('GET', `/organizations/${b.organizationId}`, { token: a.token })).status).toBe(404);
    expect((await api.request('GET', `/users/${b.userId}`, { token: a.token })).status).toBe(404);
    const create = await api.request('POST', '/users', { token: a.token, body: { name: 'x' } });
    expect(create.status).toBe(403);
    const dup = await api.request('POST', '/organizations', { body: { name: 'org-a' } });
    expect(dup.status).toBe(409);
  });

  it('revokes a token', async () => {
    const a = await createOrgWithMember(api, 'org-c');
    const token = await api.request('POST', `/users/${a.userId}/tokens`, { token: a.token, body: { name: 'ci' } });
    expect(token.status).toBe(201);
    expect((await api.request('GET', '/me', { token: token.body.token })).status).toBe(200);
    await api.request('DELETE', `/users/${a.userId}/tokens/${token.body.id}`, { token: a.token });
    expect((await api.request('GET', '/me', { token: token.body.token })).status).toBe(401);
  });
});
