// The UI and these tests call Kiln through hc<KilnApp>: every route must reach the client with its params, query,
// JSON body and answers typed. The type assertions fail `npm run typecheck`; the calls fail at run time.
import type { InferRequestType, InferResponseType } from 'hono/client';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createTestApi, expectStatus, type KilnClient, type TestApi } from '../support/api-client';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => api?.close());

describe('the typed client (hc<KilnApp>)', () => {
  it('reaches the public routes without a token', async () => {
    const anonymous = api.client(null);
    expect(await expectStatus(anonymous.health.$get(), 200)).toEqual({ status: 'ok' });
    expect(await expectStatus(anonymous['sign-in'].$get(), 200)).toEqual({ adminTokenFile: null });
    const refused = await expectStatus(anonymous.me.$get(), 401);
    expect(refused.message).toMatch(/token/i);
  });

  it('answers with the shapes the routes declare', async () => {
    const me = await expectStatus(api.client().me.$get(), 200);
    expectTypeOf(me.role).toEqualTypeOf<'instance_admin' | 'org_admin' | 'member'>();
    expectTypeOf(me.notices).toEqualTypeOf<string[]>();
    expect(me.role).toBe('instance_admin');
  });

  it('knows params, query and bodies', () => {
    type Services = KilnClient['services'][':id'];
    type PipelineParam = InferRequestType<Services['pipelines'][':pipelineId']['$get']>['param'];
    expectTypeOf<PipelineParam['id']>().toEqualTypeOf<string>();
    expectTypeOf<PipelineParam>().toHaveProperty('pipelineId');
    expectTypeOf<InferRequestType<Services['builds']['$get']>['query']>().toHaveProperty('includeChildren');
    expectTypeOf<InferRequestType<Services['auto-ci']['$put']>['json']>().toHaveProperty('supersedeRunning');
    type Build = InferResponseType<KilnClient['builds'][':id']['$get'], 200>;
    expectTypeOf<Build['children'][number]['status']>().toEqualTypeOf<
      'Pending' | 'Building' | 'Succeeded' | 'Failed' | 'Cancelled'
    >();
    type Pipelines = InferResponseType<Services['pipelines']['$get'], 200>;
    expectTypeOf<Extract<Pipelines, { linked: false }>['reason']>().toEqualTypeOf<
      'not-gitlab' | 'no-token' | 'plain-git'
    >();
  });
});
