// Webhooks as an attacker meets them: fork merge requests, merge request builds that must not deploy, replays of
// signed deliveries, probing for registered repositories, floods of unauthenticated deliveries, invalid refs.
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuildRecordActivities, type BuildPlan } from '../../activities/build-records';
import { MAX_STORED_REJECTIONS, REJECTION_WRITES_PER_MINUTE } from '../../api/webhooks/rejections';
import { builds, webhookRejections } from '../../db/schema';
import { createOrgWithMember, createTestApi, expectStatus, type JsonBody, type TestApi } from '../support/api-client';
import { startTestTemporal, type TestTemporal } from '../support/temporal';
import { attachCluster, createWebhookService, postWebhook, type AutoCiInput } from '../support/webhook-services';
import {
  githubHeaders,
  githubPush,
  gitlabHeaders,
  gitlabMergeRequest,
  gitlabPush,
  standardWebhookHeaders,
} from '../support/webhook-payloads';
import { imageReferences } from '../../domain/image-name';

let temporal: TestTemporal;
let api: TestApi;
let org: Awaited<ReturnType<typeof createOrgWithMember>>;
let rival: Awaited<ReturnType<typeof createOrgWithMember>>;
let clock = new Date();
const gl = { id: 31, path: 'shop/cart' };
const fork = { id: 977, path: 'mallory/cart' };
const gh = 'shop/web';
let gitlabService: { id: string; secret: string; signingToken: string };
let githubService: { id: string; secret: string };

const post = (provider: 'gitlab' | 'github', headers: Record<string, string>, body: string) =>
  postWebhook(api, provider, headers, body);
const gitlab = (event: string, payload: unknown, token: string | null = gitlabService.secret) =>
  post('gitlab', gitlabHeaders(event, token), JSON.stringify(payload));
const github = (payload: unknown, secret = githubService.secret, delivery?: string) => {
  const body = JSON.stringify(payload);
  return post('github', githubHeaders('push', body, secret, delivery), body);
};
const buildCount = async (serviceId: string) =>
  (await api.db.select({ n: count() }).from(builds).where(eq(builds.serviceId, serviceId)))[0]!.n;
const buildRow = async (id: string) => (await api.db.select().from(builds).where(eq(builds.id, id)))[0]!;
const autoCi = (id: string, json: AutoCiInput, token = org.adminToken) =>
  api.client(token).services[':id']['auto-ci'].$put({ param: { id }, json });

const createService = (name: string, gitProvider: 'gitlab' | 'github', repoUrl: string) =>
  createWebhookService(
    api,
    org,
    { name, gitProvider, repoUrl, projectId: gitProvider === 'gitlab' ? String(gl.id) : undefined },
    {},
    'shop',
  );

beforeAll(async () => {
  temporal = await startTestTemporal();
  api = await createTestApi({ temporal: temporal.client, clock: () => clock });
  org = await createOrgWithMember(api, 'shop');
  rival = await createOrgWithMember(api, 'rival');
  for (const kind of ['gitlab', 'github'] as const) {
    const json = { organizationId: org.organizationId, kind, token: `${kind}-token`, verify: false };
    await api.client()['git-providers'].$post({ json });
  }
  const cart = await createService('cart', 'gitlab', 'https://gitlab.example.com/shop/cart.git');
  // GitLab services also get a signing token for GitLab's signed (Standard Webhooks) deliveries.
  if (!cart.signingToken) expect.fail('the GitLab service has no webhook signing token');
  gitlabService = { ...cart, signingToken: cart.signingToken };
  githubService = await createService('web', 'github', 'https://github.com/shop/web.git');
});
afterAll(async () => {
  await api?.close();
  await temporal?.stop();
});

describe('merge requests from forks', () => {
  it('are not built unless the service enables it, and only an organization admin can enable it', async () => {
    const before = await buildCount(gitlabService.id);
    const res = await gitlab('Merge Request Hook', gitlabMergeRequest(gl, { action: 'open', fork, iid: 40 }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reason: 'fork_merge_request', builds: [] });
    expect(res.body.message).toMatch(/Build merge requests and pull requests from forks/);
    expect(res.body.message).not.toMatch(/Build started/);
    // A payload that leaves the source project out is treated as a fork.
    const unknownSource = gitlabMergeRequest(gl, { action: 'open', iid: 41 }) as JsonBody;
    delete unknownSource.object_attributes.source_project_id;
    delete unknownSource.object_attributes.source;
    expect((await gitlab('Merge Request Hook', unknownSource)).body.reason).toBe('fork_merge_request');
    expect(await buildCount(gitlabService.id)).toBe(before);

    await expectStatus(autoCi(gitlabService.id, { buildForkMergeRequests: true }, org.token), 403);
    const enabled = await expectStatus(autoCi(gitlabService.id, { buildForkMergeRequests: true }), 200);
    expect(enabled.buildForkMergeRequests).toBe(true);
    const built = await gitlab('Merge Request Hook', gitlabMergeRequest(gl, { action: 'open', fork, iid: 42 }));
    expect(built.body.builds).toHaveLength(1);
    expect(await buildRow(built.body.builds[0].buildId)).toMatchObject({ mergeRequestIid: 42, event: 'merge_request' });
    await autoCi(gitlabService.id, { buildForkMergeRequests: false });
  });
});

describe('merge request builds', () => {
  it('are tagged mr-<iid> and the sha, never a branch, and never auto-deployed even with auto-deploy on', async () => {
    await attachCluster(api, org, gitlabService.id, 'https://127.0.0.1:6443');
    await expectStatus(autoCi(gitlabService.id, { autoDeploy: true }), 200);

    const sha = 'c'.repeat(40);
    const mr = await gitlab(
      'Merge Request Hook',
      gitlabMergeRequest(gl, { action: 'open', sha, source: 'main', iid: 7 }),
    );
    const push = await gitlab('Push Hook', gitlabPush(gl, { message: 'control push' }));
    const mrBuild = await buildRow(mr.body.builds[0].buildId);
    expect(mrBuild).toMatchObject({ mergeRequestIid: 7, sha, branch: 'main' });
    const images = imageReferences({
      registryHost: '127.0.0.1:5000',
      project: 'shop',
      name: 'cart',
      sha,
      branch: mrBuild.branch!,
      mergeRequestIid: mrBuild.mergeRequestIid,
    });
    expect(images).toEqual([`127.0.0.1:5000/shop/cart:${sha}`, '127.0.0.1:5000/shop/cart:mr-7']);

    const records = createBuildRecordActivities({
      db: api.db,
      cipher: api.cipher,
      maxParallelSubprojects: 1,
      pendingTimeoutSeconds: 60,
    });
    const plan = (buildId: string): Promise<BuildPlan> =>
      new MockActivityEnvironment().run(records.beginBuild, { buildId }) as Promise<BuildPlan>;
    expect((await plan(mrBuild.id)).autoDeploy).toBe(false);
    expect((await plan(push.body.builds[0].buildId)).autoDeploy).toBe(true);
    const view = await expectStatus(api.client(org.token).builds[':id'].$get({ param: { id: mrBuild.id } }), 200);
    expect(view.mergeRequestIid).toBe(7);
    await autoCi(gitlabService.id, { autoDeploy: false });
  });
});

describe('replays', () => {
  it('a signed GitLab delivery sent again with a fresh Idempotency-Key lands on the same build', async () => {
    const body = JSON.stringify(gitlabPush(gl, { message: 'signed once' }));
    const id = `msg_${randomUUID()}`;
    const signed = standardWebhookHeaders(gitlabService.signingToken, id, body);
    const first = await post('gitlab', { ...gitlabHeaders('Push Hook', null, id), ...signed }, body);
    expect(first.body.builds[0].duplicate).toBe(false);
    const before = await buildCount(gitlabService.id);
    for (let i = 0; i < 3; i++) {
      const replay = await post('gitlab', { ...gitlabHeaders('Push Hook', null, randomUUID()), ...signed }, body);
      expect(replay.status).toBe(200);
      expect(replay.body.builds[0]).toMatchObject({ buildId: first.body.builds[0].buildId, duplicate: true });
    }
    expect(await buildCount(gitlabService.id)).toBe(before);
    const nextBody = JSON.stringify(gitlabPush(gl, { message: 'a new push' }));
    const nextId = `msg_${randomUUID()}`;
    const next = await post(
      'gitlab',
      {
        ...gitlabHeaders('Push Hook', null, nextId),
        ...standardWebhookHeaders(gitlabService.signingToken, nextId, nextBody),
      },
      nextBody,
    );
    expect(next.body.builds[0].duplicate).toBe(false);
  });

  it('a GitHub body sent again with a new X-GitHub-Delivery does not build again; a redelivery neither', async () => {
    const payload = githubPush(gh, { message: 'replay me' });
    const delivery = randomUUID();
    const first = await github(payload, githubService.secret, delivery);
    expect(first.body.builds[0].duplicate).toBe(false);
    const redelivered = await github(payload, githubService.secret, delivery);
    const replayed = await github(payload, githubService.secret, randomUUID());
    for (const res of [redelivered, replayed])
      expect(res.body.builds[0]).toMatchObject({ buildId: first.body.builds[0].buildId, duplicate: true });
    const fresh = await github(githubPush(gh, { message: 'next push' }));
    expect(fresh.body.builds[0].duplicate).toBe(false);
  });
});

describe('unauthenticated deliveries', () => {
  it('get the same answer for an unknown repository and a wrong secret', async () => {
    const unknown = await gitlab('Push Hook', gitlabPush({ id: 5555, path: 'nobody/here' }), 'guess');
    const wrong = await gitlab('Push Hook', gitlabPush(gl), 'guess');
    expect(unknown.status).toBe(401);
    expect(wrong).toEqual(unknown);
    const ghUnknown = await github(githubPush('nobody/here', { repoId: 1 }), 'guess');
    const ghWrong = await github(githubPush(gh), 'guess');
    expect(ghUnknown.status).toBe(401);
    expect(ghWrong).toEqual(ghUnknown);
  });

  it('stay out of the service history; a bounded record with truncated headers is kept for admins', async () => {
    const headers = {
      ...gitlabHeaders('Push Hook', 'guess'),
      'user-agent': 'x'.repeat(5000),
      'x-evil': 'y'.repeat(8000),
    };
    const body = JSON.stringify(gitlabPush(gl, { message: 'flood' }));
    // 15 minutes of 100 guesses each (under the per-minute limit), each minute's guesses sent at once.
    for (let minute = 0; minute < 15; minute++) {
      clock = new Date(clock.getTime() + 61_000);
      const answers = await Promise.all(Array.from({ length: 100 }, () => post('gitlab', headers, body)));
      expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(401));
    }
    const deliveries = api.client(org.token).services[':id'].webhook.deliveries;
    const param = { id: gitlabService.id };
    const history = await expectStatus(deliveries.$get({ param, query: { pageSize: 100 } }), 200);
    expect(history.items.filter((d) => d.statusCode === 401)).toEqual([]);
    const [stored] = await api.db.select({ n: count() }).from(webhookRejections);
    expect(stored!.n).toBeLessThanOrEqual(MAX_STORED_REJECTIONS);
    expect(stored!.n).toBeGreaterThan(MAX_STORED_REJECTIONS - REJECTION_WRITES_PER_MINUTE);

    const rejections = (token?: string) => api.client(token)['webhook-rejections'];
    const seen = await expectStatus(rejections(org.adminToken).$get({ query: { pageSize: 5 } }), 200);
    const row = seen.items[0]!;
    expect(row).toMatchObject({ reason: 'invalid_secret', repository: gl.path, organizationId: org.organizationId });
    expect(row.headers['user-agent']).toHaveLength(200);
    const kept = ['content-length', 'delivery-id', 'user-agent', 'x-gitlab-event'];
    expect(Object.keys(row.headers).every((name) => kept.includes(name))).toBe(true);
    expect(row.headers['x-gitlab-event']).toBe('Push Hook');
    expect(JSON.stringify(seen)).not.toMatch(/guess|yyyy/);
    await expectStatus(rejections(org.token).$get({ query: {} }), 403);
    const other = await expectStatus(rejections(rival.adminToken).$get({ query: {} }), 200);
    expect(other.items.filter((r) => r.organizationId === org.organizationId)).toEqual([]);
  }, 180_000);

  it('are rate-limited: over the limit they are only counted, and the count is recorded in the next minute', async () => {
    clock = new Date(clock.getTime() + 61_000);
    const headers = gitlabHeaders('Push Hook', 'guess');
    const body = JSON.stringify(gitlabPush({ id: 4444, path: 'probe/me' }));
    const over = 50;
    for (let i = 0; i < REJECTION_WRITES_PER_MINUTE + over; i++) await post('gitlab', headers, body);
    const probes = await api.db.select().from(webhookRejections).where(eq(webhookRejections.repository, 'probe/me'));
    expect(probes).toHaveLength(REJECTION_WRITES_PER_MINUTE);
    expect(probes.every((p) => p.organizationId === null && p.reason === 'unknown_repository')).toBe(true);
    clock = new Date(clock.getTime() + 61_000);
    await post('gitlab', headers, body);
    const counted = await api.db.select().from(webhookRejections).where(eq(webhookRejections.reason, 'rate_limited'));
    expect(counted.map((r) => r.headers['not-recorded'])).toContain(String(over));
    const instance = await expectStatus(api.client()['webhook-rejections'].$get({ query: { pageSize: 100 } }), 200);
    expect(instance.items.some((r) => r.reason === 'rate_limited')).toBe(true);
  });
});

describe('refs and shas', () => {
  it('an invalid ref or sha is answered with invalid_ref and builds nothing', async () => {
    const before = await buildCount(gitlabService.id);
    const refs = [
      'refs/heads/a..b',
      'refs/heads/-rf',
      'refs/heads/x.lock',
      'refs/heads/x/',
      'refs/heads/a b',
      'refs/heads/m@{1}',
      'refs/heads/q?',
    ];
    for (const ref of refs) {
      const res = await gitlab('Push Hook', gitlabPush(gl, { ref }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ reason: 'invalid_ref', builds: [] });
      expect(res.body.message).not.toMatch(/Build started/);
    }
    for (const after of ['abc123', 'C'.repeat(40), `${'a'.repeat(39)}g`]) {
      expect((await gitlab('Push Hook', gitlabPush(gl, { after }))).body.reason).toBe('invalid_ref');
    }
    const mr = await gitlab(
      'Merge Request Hook',
      gitlabMergeRequest(gl, { action: 'open', source: 'feat..x', iid: 8 }),
    );
    expect(mr.body.reason).toBe('invalid_ref');
    expect(await buildCount(gitlabService.id)).toBe(before);
    const ghBefore = await buildCount(githubService.id);
    expect((await github(githubPush(gh, { ref: 'refs/heads/main.lock' }))).body.reason).toBe('invalid_ref');
    expect(await buildCount(githubService.id)).toBe(ghBefore);
  });

  it('the API trigger refuses the same refs and shas with 400', async () => {
    const before = await buildCount(gitlabService.id);
    const trigger = api.client(org.token).services[':id'].builds;
    for (const json of [{ branch: 'a..b' }, { branch: 'x.lock' }, { branch: '-x' }, { sha: 'ABC' }]) {
      await expectStatus(trigger.$post({ param: { id: gitlabService.id }, json }), 400);
    }
    expect(await buildCount(gitlabService.id)).toBe(before);
  });
});
