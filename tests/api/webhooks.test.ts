import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { deliveryIdentity } from '../../api/webhooks/delivery-key';
import { buildLogLines, builds, webhookDeliveries, webhookRejections } from '../../db/schema';
import { webhookBuildWorkflowId } from '../../workflows/names';
import { createOrgWithMember, createTestApi, expectStatus, type JsonBody, type TestApi } from '../support/api-client';
import { startTestTemporal, type TestTemporal } from '../support/temporal';
import { createWebhookService, postWebhook, type AutoCiInput } from '../support/webhook-services';
import {
  githubHeaders,
  githubPing,
  githubPush,
  gitlabHeaders,
  gitlabMergeRequest,
  gitlabPush,
  signGithub,
  standardWebhookHeaders,
  ZERO,
} from '../support/webhook-payloads';

let temporal: TestTemporal;
let api: TestApi;
let org: Awaited<ReturnType<typeof createOrgWithMember>>;
const gl = { id: 15, path: 'team/api' };
const gh = 'octo/web';
let gitlabService: { id: string; secret: string; signingToken: string };
let githubService: { id: string; secret: string };

const post = (provider: 'gitlab' | 'github', headers: Record<string, string>, body: string) =>
  postWebhook(api, provider, headers, body);
const gitlab = (event: string, payload: unknown, token: string | null = gitlabService.secret, key?: string) => {
  const body = JSON.stringify(payload);
  return post('gitlab', gitlabHeaders(event, token, key), body);
};
const github = (event: string, payload: unknown, secret: string | null = githubService.secret, delivery?: string) => {
  const body = JSON.stringify(payload);
  return post('github', githubHeaders(event, body, secret, delivery), body);
};
const buildsOf = (serviceId: string) => api.db.select().from(builds).where(eq(builds.serviceId, serviceId));

const saveAutoCi = (id: string, json: AutoCiInput) =>
  api.client(org.token).services[':id']['auto-ci'].$put({ param: { id }, json });

const createService = (name: string, gitProvider: 'gitlab' | 'github', repoUrl: string, autoCi: AutoCiInput) =>
  createWebhookService(
    api,
    org,
    { name, gitProvider, repoUrl, projectId: gitProvider === 'gitlab' ? String(gl.id) : undefined },
    autoCi,
  );

beforeAll(async () => {
  temporal = await startTestTemporal();
  api = await createTestApi({ temporal: temporal.client });
  org = await createOrgWithMember(api, 'acme');
  for (const kind of ['gitlab', 'github'] as const) {
    const json = { organizationId: org.organizationId, kind, token: `${kind}-token`, verify: false };
    await api.client()['git-providers'].$post({ json });
  }
  const gitlabApi = await createService('api', 'gitlab', 'https://gitlab.example.com/team/api.git', {
    branchFilter: ['main'],
  });
  // GitLab services also get a signing token for GitLab's signed (Standard Webhooks) deliveries.
  if (!gitlabApi.signingToken) expect.fail('the GitLab service has no webhook signing token');
  gitlabService = { ...gitlabApi, signingToken: gitlabApi.signingToken };
  githubService = await createService('web', 'github', 'https://github.com/octo/web.git', {
    branchFilter: ['main', 'release/*'],
  });
});
afterAll(async () => {
  await api?.close();
  await temporal?.stop();
});

describe('GitLab webhooks', () => {
  it('starts a build workflow for a push with the exact sha before answering 200', async () => {
    const payload = gitlabPush(gl, { message: 'feat: add health check' });
    const res = await gitlab('Push Hook', payload);
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('Build started for api');
    const { buildId, workflowId } = res.body.builds[0];
    const [build] = await api.db.select().from(builds).where(eq(builds.id, buildId));
    expect(build).toMatchObject({
      sha: payload.after,
      ref: 'refs/heads/main',
      branch: 'main',
      event: 'push',
      trigger: 'webhook',
      status: 'Pending',
      commitMessage: 'feat: add health check',
      commitAuthor: 'Grace Hopper',
      provider: 'gitlab',
    });
    const described = await temporal.client.workflow.getHandle(workflowId).describe();
    expect(described.type).toBe('buildWorkflow');
    const [line] = await api.db.select().from(buildLogLines).where(eq(buildLogLines.buildId, buildId));
    expect(line!.text).toMatch(/^Triggered by Webhook/);
  });

  it('rejects a missing or wrong token with 401, keeps it out of the service history and builds nothing', async () => {
    const before = (await buildsOf(gitlabService.id)).length;
    const wrong = await gitlab('Push Hook', gitlabPush(gl, { message: 'wrong' }), 'not-the-secret');
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toMatch(/api|team/);
    expect((await gitlab('Push Hook', gitlabPush(gl, { message: 'none' }), null)).status).toBe(401);
    expect(await buildsOf(gitlabService.id)).toHaveLength(before);
    const rows = await api.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.statusCode, 401));
    expect(rows).toEqual([]);
    const rejected = await api.db
      .select()
      .from(webhookRejections)
      .where(eq(webhookRejections.reason, 'invalid_secret'));
    expect(rejected.length).toBeGreaterThanOrEqual(2);
    expect(rejected.every((r) => r.organizationId === org.organizationId && r.repository === gl.path)).toBe(true);
    expect(JSON.stringify(rejected.map((r) => r.headers))).not.toContain('not-the-secret');
  });

  it('accepts signed deliveries (Standard Webhooks) and rejects stale or tampered ones', async () => {
    const body = JSON.stringify(gitlabPush(gl, { message: 'signed' }));
    const id = `msg_${randomUUID()}`;
    const base = gitlabHeaders('Push Hook', null, id);
    const ok = await post('gitlab', { ...base, ...standardWebhookHeaders(gitlabService.signingToken, id, body) }, body);
    expect(ok.status).toBe(200);
    const stale = standardWebhookHeaders(gitlabService.signingToken, id, body, Math.floor(Date.now() / 1000) - 6 * 60);
    const old = await post('gitlab', { ...base, ...stale }, body);
    expect(old.status).toBe(401);
    expect(old.body.message).toMatch(/5 minutes/);
    const signed = standardWebhookHeaders(gitlabService.signingToken, id, body);
    const tampered = await post('gitlab', { ...base, ...signed }, body.replace('signed', 'evil!!'));
    expect(tampered.status).toBe(401);
  });

  it('builds tag pushes regardless of the branch filter', async () => {
    const res = await gitlab('Tag Push Hook', gitlabPush(gl, { ref: 'refs/tags/v1.0.0' }));
    expect(res.status).toBe(200);
    const [build] = await api.db.select().from(builds).where(eq(builds.id, res.body.builds[0].buildId));
    expect(build).toMatchObject({ event: 'tag', tag: 'v1.0.0', branch: null });
  });

  it('builds merge requests on open, reopen and new commits only', async () => {
    const open = await gitlab('Merge Request Hook', gitlabMergeRequest(gl, { action: 'open', sha: 'a'.repeat(40) }));
    expect(open.body.builds).toHaveLength(1);
    const [build] = await api.db.select().from(builds).where(eq(builds.id, open.body.builds[0].buildId));
    expect(build).toMatchObject({
      event: 'merge_request',
      sha: 'a'.repeat(40),
      branch: 'feature/login',
      ref: 'refs/merge-requests/12/head',
    });
    expect((await gitlab('Merge Request Hook', gitlabMergeRequest(gl, { action: 'reopen' }))).body.builds).toHaveLength(
      1,
    );
    const pushed = await gitlab(
      'Merge Request Hook',
      gitlabMergeRequest(gl, { action: 'update', oldrev: 'b'.repeat(40) }),
    );
    expect(pushed.body.builds).toHaveLength(1);
    for (const action of ['update', 'approved']) {
      const res = await gitlab('Merge Request Hook', gitlabMergeRequest(gl, { action }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ reason: 'merge_request_action', builds: [] });
    }
    // Closing or merging builds nothing; it cancels the merge request's running builds (tests/api/pull-requests).
    for (const action of ['close', 'merge']) {
      const res = await gitlab('Merge Request Hook', gitlabMergeRequest(gl, { action }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ reason: 'merge_request_closed', builds: [] });
    }
    const elsewhere = await gitlab('Merge Request Hook', gitlabMergeRequest(gl, { action: 'open', target: 'develop' }));
    expect(elsewhere.body.reason).toBe('branch_not_in_filter');
  });

  it('explains every push that does not build', async () => {
    const cases: [object, string][] = [
      [gitlabPush(gl, { after: ZERO }), 'branch_deleted'],
      [gitlabPush(gl, { ref: 'refs/heads/release/main' }), 'branch_not_in_filter'],
      [gitlabPush(gl, { message: 'docs: typo [skip ci]' }), 'skip_ci'],
      [gitlabPush(gl, { message: 'chore [CI SKIP]' }), 'skip_ci'],
    ];
    const before = (await buildsOf(gitlabService.id)).length;
    for (const [payload, reason] of cases) {
      const res = await gitlab('Push Hook', payload);
      expect(res.status).toBe(200);
      expect(res.body.reason).toBe(reason);
    }
    expect(await buildsOf(gitlabService.id)).toHaveLength(before);
  });

  it('answers 401 for unknown projects, 400 for bad bodies, 413 for huge ones, 200 for unhandled events', async () => {
    expect((await gitlab('Push Hook', gitlabPush({ id: 999, path: 'nobody/else' }))).status).toBe(401);
    const headers = gitlabHeaders('Push Hook', gitlabService.secret);
    expect((await post('gitlab', headers, '{not json')).status).toBe(400);
    const noAfter = { ...gitlabPush(gl), after: undefined };
    const missing = await post('gitlab', headers, JSON.stringify(noAfter));
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/after/);
    expect((await post('gitlab', { 'content-type': 'application/json' }, '{}')).status).toBe(400);
    const huge = await post('gitlab', headers, 'x'.repeat(25 * 1024 * 1024 + 1));
    expect(huge.status).toBe(413);
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ > 26) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const init = { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit;
    expect((await api.app.request('/api/v1/webhook/gitlab', init)).status).toBe(413);
    const pipeline = await gitlab('Pipeline Hook', {
      object_kind: 'pipeline',
      project: { id: gl.id, path_with_namespace: gl.path },
    });
    expect(pipeline).toEqual({ status: 200, body: { message: 'Event type is not processed' } });
  });
});

describe('changed paths', () => {
  const changedOf = async (buildId: string) =>
    (await api.db.select().from(builds).where(eq(builds.id, buildId)))[0]!.changedPaths;

  it('records every path a GitLab push touched, so a monorepo builds only what changed', async () => {
    const payload = gitlabPush(gl, { message: 'touch two apps' });
    payload.commits = payload.commits.map((commit, index) => ({
      ...commit,
      added: index === 0 ? ['apps/web/new.ts'] : [],
      modified: index === 0 ? ['README.md'] : ['apps/api/index.ts', 'apps/web/new.ts'],
      removed: index === 1 ? ['apps/old/gone.ts'] : [],
    }));
    const res = await gitlab('Push Hook', payload);
    expect(res.status).toBe(200);
    expect(await changedOf(res.body.builds[0].buildId)).toEqual([
      'README.md',
      'apps/api/index.ts',
      'apps/old/gone.ts',
      'apps/web/new.ts',
    ]);
  });

  it('records no paths when GitLab listed only part of the commits, so nothing is skipped', async () => {
    const payload = { ...gitlabPush(gl, { message: 'big push' }), total_commits_count: 42 };
    const res = await gitlab('Push Hook', payload);
    expect(await changedOf(res.body.builds[0].buildId)).toBeNull();
  });

  it('records no paths for a new GitHub branch, whose base is unknown', async () => {
    const payload = { ...githubPush(gh, { message: 'new branch' }), created: true };
    payload.commits = payload.commits.map((commit) => ({ ...commit, added: ['apps/web/x.ts'] }));
    const res = await github('push', payload);
    expect(await changedOf(res.body.builds[0].buildId)).toBeNull();
  });
});

describe('GitHub webhooks', () => {
  it('builds pushes of branches (JSON and form-encoded) and tags with the exact sha', async () => {
    const payload = githubPush(gh, { ref: 'refs/heads/release/1.2', message: 'release' });
    const res = await github('push', payload);
    expect(res.status).toBe(200);
    const [build] = await api.db.select().from(builds).where(eq(builds.id, res.body.builds[0].buildId));
    expect(build).toMatchObject({ sha: payload.after, branch: 'release/1.2', commitAuthor: 'Ada Lovelace' });

    const form = `payload=${encodeURIComponent(JSON.stringify(githubPush(gh, { message: 'form' })))}`;
    const formHeaders = {
      ...githubHeaders('push', form, githubService.secret),
      'content-type': 'application/x-www-form-urlencoded',
    };
    const viaForm = await post('github', formHeaders, form);
    expect(viaForm.status).toBe(200);
    expect(viaForm.body.builds).toHaveLength(1);

    const tag = await github('push', githubPush(gh, { ref: 'refs/tags/v2.0.0' }));
    expect(tag.body.builds).toHaveLength(1);
  });

  it('applies the branch filter to the whole branch name', async () => {
    expect((await github('push', githubPush(gh, { ref: 'refs/heads/release/a/b' }))).body.reason).toBe(
      'branch_not_in_filter',
    );
    expect((await github('push', githubPush(gh, { ref: 'refs/heads/feature/main' }))).body.reason).toBe(
      'branch_not_in_filter',
    );
    expect(
      (await github('push', githubPush(gh, { ref: 'refs/heads/x', deleted: true, after: ZERO }))).body.reason,
    ).toBe('branch_deleted');
  });

  it('rejects bad signatures and tampered bodies with 401', async () => {
    const body = JSON.stringify(githubPush(gh, { message: 'tamper' }));
    const headers = githubHeaders('push', body, githubService.secret);
    expect((await post('github', headers, body.replace('tamper', 'tamperX'))).status).toBe(401);
    expect((await github('push', githubPush(gh), null)).status).toBe(401);
    expect((await github('push', githubPush(gh), 'wrong-secret')).status).toBe(401);
    expect(signGithub("It's a Secret to Everybody", 'Hello, World!')).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it('answers ping and ignores other events', async () => {
    expect(await github('ping', githubPing(gh))).toEqual({ status: 200, body: { message: 'pong' } });
    const issue = { action: 'opened', issue: { number: 3 }, repository: { id: 4242, full_name: gh } };
    expect(await github('issues', issue)).toEqual({
      status: 200,
      body: { message: 'Event type is not processed' },
    });
    // An ignored event starts nothing, so it gets the same answer whatever the secret: no probe for repositories.
    expect(await github('issues', issue, 'bad')).toEqual({
      status: 200,
      body: { message: 'Event type is not processed' },
    });
  });

  it('keeps receiving pushes after the repository is renamed, by the id learned from a verified delivery', async () => {
    await github('push', githubPush(gh, { message: 'learn id', repoId: 4242 }));
    const renamed = await github('push', githubPush('octo/web-renamed', { message: 'after rename', repoId: 4242 }));
    expect(renamed.status).toBe(200);
    expect(renamed.body.builds).toHaveLength(1);
  });

  it('does not build when Auto CI is disabled', async () => {
    await saveAutoCi(githubService.id, { enabled: false });
    const res = await github('push', githubPush(gh, { message: 'while disabled' }));
    expect(res.body.reason).toBe('auto_ci_disabled');
    await saveAutoCi(githubService.id, { enabled: true });
  });
});

describe('exactly once', () => {
  it('collapses 50 concurrent duplicates of one delivery into one build and one workflow', async () => {
    const delivery = randomUUID();
    const body = JSON.stringify(githubPush(gh, { message: 'dup storm' }));
    const headers = githubHeaders('push', body, githubService.secret, delivery);
    const results = await Promise.all(Array.from({ length: 50 }, () => post('github', headers, body)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const ids = new Set(results.map((r) => r.body.builds[0].buildId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.body.builds[0].duplicate)).toHaveLength(1);
    const rows = await api.db.select().from(builds).where(eq(builds.deliveryId, delivery));
    expect(rows).toHaveLength(1);
    const runs = new Set<string>();
    for await (const wf of temporal.client.workflow.list({ query: `WorkflowId = '${rows[0]!.workflowId}'` }))
      runs.add(wf.runId);
    expect(runs.size).toBe(1);
    const records = await api.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.deliveryId, delivery));
    expect(records).toHaveLength(50);
  });

  it('starts the workflow of a build recorded before a crash when the delivery comes again', async () => {
    const delivery = randomUUID();
    const payload = githubPush(gh, { message: 'crash' });
    // GitHub builds are keyed by the signed body (X-GitHub-Delivery is not covered by the signature).
    const rawBody = new Uint8Array(Buffer.from(JSON.stringify(payload)));
    const { buildKey } = deliveryIdentity({ provider: 'github', headers: {}, rawBody }, 'hmac');
    const workflowId = webhookBuildWorkflowId('github', buildKey, githubService.id);
    const [orphan] = await api.db
      .insert(builds)
      .values({
        serviceId: githubService.id,
        organizationId: org.organizationId,
        trigger: 'webhook',
        event: 'push',
        ref: payload.ref,
        sha: payload.after,
        workflowId,
        deliveryId: delivery,
      })
      .returning();
    const res = await github('push', payload, githubService.secret, delivery);
    expect(res.body.builds[0]).toMatchObject({ buildId: orphan!.id, duplicate: true });
    const described = await temporal.client.workflow.getHandle(workflowId).describe();
    expect(described.workflowId).toBe(workflowId);
  });
});

describe('when Temporal is unreachable', () => {
  it('answers 503, records it, and the redelivery starts the recorded build', async () => {
    const broken = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '300ms' }) });
    const config = { publicUrl: 'https://kiln.example.com', temporalNamespace: 'default' };
    const down = createApp({ db: api.db, temporal: broken, cipher: api.cipher, config });
    const delivery = randomUUID();
    const body = JSON.stringify(githubPush(gh, { message: 'during outage' }));
    const headers = githubHeaders('push', body, githubService.secret, delivery);
    const failed = await down.request('/api/v1/webhook/github', { method: 'POST', headers, body });
    expect(failed.status).toBe(503);
    expect(((await failed.json()) as JsonBody).message).toMatch(/redeliver/);
    const [record] = await api.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.deliveryId, delivery));
    expect(record!.statusCode).toBe(503);
    const [row] = await api.db.select().from(builds).where(eq(builds.deliveryId, delivery));
    const again = await post('github', headers, body);
    expect(again.status).toBe(200);
    expect(again.body.builds[0]).toMatchObject({ buildId: row!.id, duplicate: true });
    await temporal.client.workflow.getHandle(row!.workflowId).describe();
  });
});

describe('deliveries', () => {
  it('lists a service’s deliveries and lets an admin redeliver one without a second build', async () => {
    const delivery = randomUUID();
    const first = await github('push', githubPush(gh, { message: 'redeliver me' }), githubService.secret, delivery);
    const deliveries = (token?: string) => api.client(token).services[':id'].webhook.deliveries;
    const param = { id: githubService.id };
    const list = await expectStatus(deliveries(org.token).$get({ param, query: { pageSize: 5 } }), 200);
    const record = list.items.find((d) => d.deliveryId === delivery)!;
    expect(record).toMatchObject({
      statusCode: 200,
      event: 'push',
      canRedeliver: true,
      buildId: first.body.builds[0].buildId,
    });
    const one = { param: { ...param, deliveryId: record.id } };
    const detail = await expectStatus(deliveries(org.token)[':deliveryId'].$get(one), 200);
    expect(detail.headers['x-github-delivery']).toBe(delivery);
    expect(detail.headers).not.toHaveProperty('x-hub-signature-256');
    await expectStatus(deliveries(org.token)[':deliveryId'].redeliver.$post(one), 403);
    const again = await expectStatus(deliveries()[':deliveryId'].redeliver.$post(one), 200);
    expect(again).toMatchObject({
      redeliveryOf: record.id,
      buildId: first.body.builds[0].buildId,
      statusCode: 200,
    });
    expect(await api.db.select().from(builds).where(eq(builds.deliveryId, delivery))).toHaveLength(1);
    const other = await createOrgWithMember(api, 'rival');
    await expectStatus(deliveries(other.token).$get({ param, query: {} }), 404);
  });
});
