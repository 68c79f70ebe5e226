// Runs the providers' published payloads (../shared/fixtures/webhooks) through the webhook endpoints; skipped
// when that folder is absent (a fresh clone).
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builds, services } from '../../db/schema';
import { createOrgWithMember, createTestApi, expectStatus, type JsonBody, type TestApi } from '../support/api-client';
import { startTestTemporal, type TestTemporal } from '../support/temporal';
import { githubHeaders, gitlabHeaders } from '../support/webhook-payloads';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.resolve(repoRoot, '../shared/fixtures/webhooks');
const fixture = (name: string) => readFileSync(path.join(fixtures, name));

let temporal: TestTemporal;
let api: TestApi;
const secrets = new Map<string, string>();

async function register(
  token: string,
  registryId: string,
  name: string,
  provider: 'gitlab' | 'github',
  project: string,
  branch: string,
) {
  const client = api.client(token);
  const host = provider === 'gitlab' ? 'gitlab.example.com' : 'github.com';
  const json = { name, gitProvider: provider, repoUrl: `https://${host}/${project}.git`, registryId };
  const { id } = await expectStatus(client.services.$post({ json }), 201);
  const autoCi = { enabled: true, branchFilter: [branch] };
  await expectStatus(client.services[':id']['auto-ci'].$put({ param: { id }, json: autoCi }), 200);
  const info = await expectStatus(client.services[':id'].webhook.$get({ param: { id } }), 200);
  secrets.set(project, info.secretToken);
}

async function send(provider: 'gitlab' | 'github', event: string, file: string, project: string) {
  const body = fixture(file);
  const secret = secrets.get(project) ?? 'unregistered';
  const headers =
    provider === 'gitlab' ? gitlabHeaders(event, secret) : githubHeaders(event, body.toString('utf8'), secret);
  const res = await api.app.request(`/api/v1/webhook/${provider}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as JsonBody };
}

async function serviceNamed(name: string) {
  const [row] = await api.db.select().from(services).where(eq(services.name, name));
  return row!;
}

/** A build row whose workflow runs (no worker here, so it stays running) and records signals in its history. */
async function seedRunningBuild(
  service: { id: string; organizationId: string },
  values: Partial<typeof builds.$inferInsert>,
) {
  const id = randomUUID();
  const [row] = await api.db
    .insert(builds)
    .values({
      id,
      serviceId: service.id,
      organizationId: service.organizationId,
      trigger: 'webhook',
      ref: 'refs/heads/x',
      sha: 'e'.repeat(40),
      workflowId: `fixture-${id}`,
      status: 'Building',
      event: 'push',
      ...values,
    })
    .returning();
  await temporal.client.workflow.start('buildWorkflow', {
    taskQueue: 'fixtures-no-worker',
    workflowId: row!.workflowId,
    args: [{ buildId: id }],
  });
  return row!;
}

/** The reason of the cancel signal a build's workflow received, from its history; undefined when none came. */
async function cancelReasonOf(workflowId: string): Promise<string | undefined> {
  const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
  const signal = history.events?.find((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'cancelBuild');
  const payload = signal?.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0];
  return payload?.data ? JSON.parse(Buffer.from(payload.data).toString('utf8')) : undefined;
}

async function buildOf(res: { body: JsonBody }) {
  const [row] = await api.db.select().from(builds).where(eq(builds.id, res.body.builds[0].buildId));
  return row!;
}

describe.skipIf(!existsSync(fixtures))('shared provider fixtures', () => {
  beforeAll(async () => {
    temporal = await startTestTemporal();
    api = await createTestApi({ temporal: temporal.client });
    const org = await createOrgWithMember(api, 'fixtures');
    for (const kind of ['gitlab', 'github'] as const) {
      const json = { organizationId: org.organizationId, kind, token: 't', verify: false };
      await api.client()['git-providers'].$post({ json });
    }
    const registry = await expectStatus(
      api.client(org.adminToken).registries.$post({
        json: { name: 'reg', kind: 'oci', url: '127.0.0.1:5000', project: 'fx', username: 'u', password: 'p' },
      }),
      201,
    );
    const services: [string, 'gitlab' | 'github', string, string][] = [
      ['diaspora', 'gitlab', 'mike/diaspora', 'master'],
      ['example', 'gitlab', 'jsmith/example', 'master'],
      ['gitlab-test', 'gitlab', 'gitlabhq/gitlab-test', 'master'],
      ['meet', 'gitlab', 'rathod.meetsatish/meet', 'main'],
      ['hello-world', 'gitlab', 'gitlab-org/hello-world', 'master'],
      ['codertocat', 'github', 'Codertocat/Hello-World', 'master'],
      ['drone-test', 'github', 'bradrydzewski/drone-test-go', '*'],
    ];
    for (const [name, provider, project, branch] of services) {
      await register(org.adminToken, registry.id, name, provider, project, branch);
    }
  });
  afterAll(async () => {
    await api?.close();
    await temporal?.stop();
  });

  it('GitLab Push Hook builds the pushed sha', async () => {
    const res = await send('gitlab', 'Push Hook', 'gitlab/push.json', 'mike/diaspora');
    expect(res.status).toBe(200);
    expect(await buildOf(res)).toMatchObject({
      sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      branch: 'master',
      commitMessage: 'fixed readme',
      commitAuthor: 'GitLab dev user',
    });
  });

  it('GitLab Tag Push Hook builds the tag', async () => {
    const res = await send('gitlab', 'Tag Push Hook', 'gitlab/tag_push.json', 'jsmith/example');
    expect(await buildOf(res)).toMatchObject({
      tag: 'v1.0.0',
      sha: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7',
      event: 'tag',
    });
  });

  it('GitLab Merge Request Hook builds on open only', async () => {
    const open = await send('gitlab', 'Merge Request Hook', 'gitlab/merge_request.open.json', 'gitlabhq/gitlab-test');
    expect(await buildOf(open)).toMatchObject({ event: 'merge_request', branch: 'ms-viewport' });
    const update = await send(
      'gitlab',
      'Merge Request Hook',
      'gitlab/merge_request.update.json',
      'rathod.meetsatish/meet',
    );
    expect(update.body).toMatchObject({ reason: 'merge_request_action', builds: [] });
  });

  it('GitLab Merge Request Hook close and merge cancel the running build of that merge request only', async () => {
    const [closeIid, mergeIid] = ['close', 'merge'].map(
      (action) => JSON.parse(fixture(`gitlab/merge_request.${action}.json`).toString('utf8')).object_attributes.iid,
    );
    const service = await serviceNamed('hello-world');
    const running = await seedRunningBuild(service, { event: 'merge_request', mergeRequestIid: closeIid });
    const otherMr = await seedRunningBuild(service, { event: 'merge_request', mergeRequestIid: closeIid + 100 });
    const close = await send(
      'gitlab',
      'Merge Request Hook',
      'gitlab/merge_request.close.json',
      'gitlab-org/hello-world',
    );
    expect(close.status).toBe(200);
    expect(close.body).toMatchObject({
      reason: 'merge_request_closed',
      builds: [],
      cancelled: [{ serviceId: service.id, buildId: running.id }],
    });
    expect(close.body.message).toBe(
      `Merge request !${closeIid} was closed: cancelled 1 running build (${running.id}).`,
    );
    expect(await cancelReasonOf(running.workflowId)).toBe(`Merge request !${closeIid} was closed`);
    expect(await cancelReasonOf(otherMr.workflowId)).toBeUndefined();
    // The same merge request merged (a fixture of the same project) finds its build again: still running here,
    // since no worker runs in this test, so the signal is sent again and harmlessly.
    const merge = await send(
      'gitlab',
      'Merge Request Hook',
      'gitlab/merge_request.merge.json',
      'gitlab-org/hello-world',
    );
    expect(merge.body).toMatchObject({ reason: 'merge_request_closed', builds: [] });
    expect(merge.body.message).toMatch(new RegExp(`^Merge request !${mergeIid} was merged: `));
  });

  it('GitLab pipeline and job hooks are not processed', async () => {
    for (const [event, file] of [
      ['Pipeline Hook', 'gitlab/pipeline.json'],
      ['Job Hook', 'gitlab/job.json'],
    ]) {
      const res = await send('gitlab', event!, file!, 'gitlabhq/gitlab-test');
      expect(res).toEqual({ status: 200, body: { message: 'Event type is not processed' } });
    }
  });

  it('GitHub push builds branches and tags, ignores deletions', async () => {
    const branch = await send('github', 'push', 'github/push.branch.json', 'Codertocat/Hello-World');
    expect(await buildOf(branch)).toMatchObject({ sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246', branch: 'master' });
    const tag = await send('github', 'push', 'github/push.tag.json', 'Codertocat/Hello-World');
    expect(await buildOf(tag)).toMatchObject({ tag: 'simple-tag', event: 'tag' });
    const deleted = await send('github', 'push', 'github/push.delete.json', 'bradrydzewski/drone-test-go');
    expect(deleted.body).toMatchObject({ reason: 'branch_deleted', builds: [] });
  });

  it('GitHub pull_request opened and synchronize build refs/pull/<n>/head at the head sha; closed cancels them', async () => {
    const opened = JSON.parse(fixture('github/pull_request.opened.json').toString('utf8'));
    const { number } = opened;
    const { head, base } = opened.pull_request;
    const service = await serviceNamed('codertocat');
    const first = await send('github', 'pull_request', 'github/pull_request.opened.json', 'Codertocat/Hello-World');
    expect(first.status).toBe(200);
    const expected = {
      event: 'pull_request',
      ref: `refs/pull/${number}/head`,
      sha: head.sha,
      branch: head.ref,
      pullRequestNumber: number,
      mergeRequestIid: null,
    };
    expect(await buildOf(first)).toMatchObject(expected);
    expect(head.sha).not.toBe(base.sha);
    const sync = await send('github', 'pull_request', 'github/pull_request.synchronize.json', 'Codertocat/Hello-World');
    const synced = await buildOf(sync);
    expect(synced).toMatchObject(expected);
    // Another body, so another delivery and build (GitHub builds are keyed by the signed body's hash).
    expect(synced.id).not.toBe(first.body.builds[0].buildId);
    const pushBuild = await seedRunningBuild(service, { event: 'push', branch: head.ref });

    const closed = await send('github', 'pull_request', 'github/pull_request.closed.json', 'Codertocat/Hello-World');
    expect(closed.status).toBe(200);
    expect(closed.body.reason).toBe('pull_request_closed');
    expect(closed.body.cancelled.map((c: { buildId: string }) => c.buildId).sort()).toEqual(
      [first.body.builds[0].buildId, synced.id].sort(),
    );
    expect(closed.body.message).toMatch(new RegExp(`^Pull request #${number} was closed: cancelled 2 running builds`));
    expect(await cancelReasonOf(synced.workflowId)).toBe(`Pull request #${number} was closed`);
    // A push build of the head branch is not the pull request's.
    expect(await cancelReasonOf(pushBuild.workflowId)).toBeUndefined();
  });

  it('GitHub ping answers 200 and other events are not processed', async () => {
    expect((await send('github', 'ping', 'github/ping.json', 'Octocoders/Hello-World')).status).toBe(200);
    const others: [string, string][] = [
      ['release', 'github/release.published.json'],
      ['create', 'github/create.json'],
    ];
    for (const [event, file] of others) {
      const res = await send('github', event, file, 'Codertocat/Hello-World');
      expect(res).toEqual({ status: 200, body: { message: 'Event type is not processed' } });
    }
  });

  it('rejects fixture bodies signed with another secret', async () => {
    secrets.set('tmp', 'wrong');
    expect((await send('github', 'push', 'github/push.branch.json', 'tmp')).status).toBe(401);
    expect((await send('gitlab', 'Push Hook', 'gitlab/push.json', 'tmp')).status).toBe(401);
  });
});
