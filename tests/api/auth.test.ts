import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithMember, createTestApi, expectStatus, type TestApi } from '../support/api-client';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => api?.close());

describe('authentication', () => {
  it('serves health, the OpenAPI document and the docs page without a token', async () => {
    await expectStatus(api.client(null).health.$get(), 200);
    // The OpenAPI document and the docs page are not typed routes: read raw.
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
    const missing = await expectStatus(api.client(null).me.$get(), 401);
    expect(missing).toMatchObject({ error: 'Unauthorized' });
    await expectStatus(api.client('kiln_not-a-token').me.$get(), 401);
  });

  it('identifies the bootstrap admin', async () => {
    const me = await expectStatus(api.client().me.$get(), 200);
    expect(me).toMatchObject({ name: 'admin', role: 'instance_admin', notices: [] });
  });

  it('tells every signed-in user when local builds run without isolation', async () => {
    const chroot = await createTestApi({ config: { localIsolation: 'chroot' } });
    try {
      const org = await createOrgWithMember(chroot, 'trusting');
      const me = await expectStatus(chroot.client(org.token).me.$get(), 200);
      expect(me.notices).toEqual([
        expect.stringMatching(
          /^Builds run without isolation \(KILN_LOCAL_ISOLATION=chroot\).*Build trusted code only\.$/,
        ),
      ]);
    } finally {
      await chroot.close();
    }
  });

  it('answers unknown routes and invalid bodies with JSON 4xx', async () => {
    // A route that does not exist has no typed call: raw.
    expect((await api.request('GET', '/nope')).body).toMatchObject({ error: 'NotFound' });
    const bad = await expectStatus(api.client().organizations.$post({ json: { name: '' } }), 400);
    expect(bad.error).toBe('ValidationFailed');
    expect(bad.issues?.[0]?.path).toBe('name');
  });

  it('lets members see only their own organization and not manage users', async () => {
    const a = await createOrgWithMember(api, 'org-a');
    const b = await createOrgWithMember(api, 'org-b');
    const member = api.client(a.token);
    const orgs = await expectStatus(member.organizations.$get(), 200);
    expect(orgs.items.map((o) => o.name)).toEqual(['org-a']);
    await expectStatus(member.organizations[':id'].$get({ param: { id: b.organizationId } }), 404);
    await expectStatus(member.users[':id'].$get({ param: { id: b.userId } }), 404);
    await expectStatus(member.users.$post({ json: { name: 'x' } }), 403);
    await expectStatus(api.client().organizations.$post({ json: { name: 'org-a' } }), 409);
  });

  it('revokes a token', async () => {
    const a = await createOrgWithMember(api, 'org-c');
    const tokens = api.client(a.token).users[':id'].tokens;
    const token = await expectStatus(tokens.$post({ param: { id: a.userId }, json: { name: 'ci' } }), 201);
    await expectStatus(api.client(token.token).me.$get(), 200);
    await tokens[':tokenId'].$delete({ param: { id: a.userId, tokenId: token.id } });
    await expectStatus(api.client(token.token).me.$get(), 401);
  });
});
