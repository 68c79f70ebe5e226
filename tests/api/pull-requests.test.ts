// GitHub pull_request deliveries as a user and an attacker meet them: which actions build, the base-branch filter,
// drafts, forks, pr-<n> images that never deploy, superseding within one pull request, closing cancels, and the
// commit status on the head sha at (a faithful fake of) GitHub.
import { WorkflowNotFoundError } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuildRecordActivities, type BuildPlan } from '../../activities/build-records';
import { createCommitStatusActivities } from '../../activities/commit-status';
import { createDeployActivities } from '../../activities/deploy-build';
import { loadBuildForWorkflow } from '../../db/builds';
import { builds, services } from '../../db/schema';
import { createOrgWithMember, createTestApi, expectStatus, type JsonBody, type TestApi } from '../support/api-client';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github';
import { startKilnWorker } from '../support/kiln-worker';
import { startTestTemporal, type TestTemporal } from '../support/temporal';
import { githubHeaders, githubPullRequest, githubPush, type PullRequestOptions } from '../support/webhook-payloads';
import {
  attachCluster,
  createWebhookService,
  postWebhook,
  type AutoCiInput,
  type WebhookService,
} from '../support/webhook-services';
import { imageReferences } from '../../domain/image-name';
import { rollbackWorkflowId } from '../../workflows/names';

let temporal: TestTemporal;
let api: TestApi;
let github: FakeGitHub;
let org: Awaited<ReturnType<typeof createOrgWithMember>>;
const repo = 'acme/web';
const forkRepo = { id: 666, fullName: 'mallory/web' };
let web: WebhookService;

async function deliver(event: string, payload: unknown, secret = web.secret) {
  const body = JSON.stringify(payload);
  return postWebhook(api, 'github', githubHeaders(event, body, secret), body);
}
const pullRequest = (options: PullRequestOptions = {}, secret?: string) =>
  deliver('pull_request', githubPullRequest(repo, options), secret);
const buildRow = async (id: string) => (await api.db.select().from(builds).where(eq(builds.id, id)))[0]!;
const buildCount = async () =>
  (await api.db.select({ n: count() }).from(builds).where(eq(builds.serviceId, web.id)))[0]!.n;
const autoCi = (json: AutoCiInput, token = org.adminToken) =>
  api.client(token).services[':id']['auto-ci'].$put({ param: { id: web.id }, json });
const sha = (seed: string) => seed.repeat(40).slice(0, 40);

/** The reason of the cancel signal a build's workflow received, or undefined when none came. */
async function cancelReasonOf(workflowId: string): Promise<string | undefined> {
  const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
  const signal = history.events?.find((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'cancelBuild');
  const payload = signal?.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0];
  return payload?.data ? JSON.parse(Buffer.from(payload.data).toString('utf8')) : undefined;
}

const records = () =>
  createBuildRecordActivities({ db: api.db, cipher: api.cipher, maxParallelSubprojects: 1, pendingTimeoutSeconds: 60 });
const planOf = (buildId: string) =>
  new MockActivityEnvironment().run(records().beginBuild, { buildId }) as Promise<BuildPlan>;

beforeAll(async () => {
  [temporal, github] = await Promise.all([startTestTemporal(), startFakeGitHub()]);
  github.addToken('ghp_repo', { login: 'kiln-bot', scopes: ['repo'] });
  github.addRepo(repo);
  api = await createTestApi({ temporal: temporal.client });
  org = await createOrgWithMember(api, 'acme');
  const connection = { kind: 'github' as const, baseUrl: github.baseUrl, token: 'ghp_repo', verify: false };
  await api.client()['git-providers'].$post({ json: { organizationId: org.organizationId, ...connection } });
  const service = { name: 'web', gitProvider: 'github' as const, repoUrl: `${github.baseUrl}/${repo}.git` };
  web = await createWebhookService(api, org, { ...service, projectPath: repo }, { supersedeRunning: true }, 'acme');
}, 60_000);
afterAll(async () => {
  await api?.close();
  await temporal?.stop();
  await github?.stop();
});

describe('pull_request actions', () => {
  it('opened, reopened, synchronize and ready_for_review build refs/pull/<n>/head at the head sha', async () => {
    for (const [index, action] of ['opened', 'reopened', 'synchronize', 'ready_for_review'].entries()) {
      const head = sha(String(index + 1));
      const res = await pullRequest({ action, number: 7, sha: head });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.builds, action).toHaveLength(1);
      expect(await buildRow(res.body.builds[0].buildId)).toMatchObject({
        event: 'pull_request',
        provider: 'github',
        ref: 'refs/pull/7/head',
        sha: head,
        branch: 'feature/login',
        tag: null,
        pullRequestNumber: 7,
        mergeRequestIid: null,
        commitAuthor: 'octocat',
      });
    }
    const query = { serviceId: web.id, event: 'pull_request' as const };
    const page = await expectStatus(api.client(org.token).builds.$get({ query }), 200);
    expect(page.items.map((b) => b.pullRequestNumber)).toEqual([7, 7, 7, 7]);
  });

  it('other actions answer 200 with the reason and build nothing', async () => {
    const before = await buildCount();
    for (const action of ['labeled', 'edited', 'converted_to_draft', 'assigned', 'review_requested']) {
      const res = await pullRequest({ action, number: 8 });
      expect(res).toEqual({
        status: 200,
        body: expect.objectContaining({
          reason: 'pull_request_action',
          message: `Pull request #8 ${action}: no build.`,
          builds: [],
        }),
      });
    }
    expect(await buildCount()).toBe(before);
  });

  it('a wrong secret gets 401 and builds or cancels nothing', async () => {
    const before = await buildCount();
    expect((await pullRequest({ number: 9 }, 'not-the-secret')).status).toBe(401);
    expect((await pullRequest({ action: 'closed', number: 7 }, 'not-the-secret')).status).toBe(401);
    expect(await buildCount()).toBe(before);
    const [running] = await api.db.select().from(builds).where(eq(builds.pullRequestNumber, 7));
    expect(await cancelReasonOf(running!.workflowId)).toBeUndefined();
  });

  it('a body without the fields a build needs is a 400 naming them; bad refs and shas build nothing', async () => {
    const broken = await deliver('pull_request', {
      action: 'opened',
      number: 3,
      repository: { id: 4242, full_name: repo },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/pull_request/);
    const badRef = await pullRequest({ number: 10, headRef: 'evil..ref' });
    expect(badRef.body).toMatchObject({ reason: 'invalid_ref', builds: [] });
    const badSha = await pullRequest({ number: 10, sha: 'HEAD~1' });
    expect(badSha.body).toMatchObject({ reason: 'invalid_ref', builds: [] });
    expect(badSha.body.message).toContain('is not a commit sha');
  });
});

describe('Auto CI rules for pull requests', () => {
  it('the branch filter applies to the base branch, not the head branch', async () => {
    const intoDevelop = await pullRequest({ number: 11, headRef: 'main', baseRef: 'develop' });
    expect(intoDevelop.body).toMatchObject({ reason: 'branch_not_in_filter', builds: [] });
    expect(intoDevelop.body.message).toContain('Branch develop does not match');
    const intoMain = await pullRequest({ number: 12, headRef: 'topic/not-in-filter', baseRef: 'main' });
    expect(intoMain.body.builds).toHaveLength(1);
  });

  it('drafts build only when the service says so (a member may switch it)', async () => {
    const draft = await pullRequest({ number: 13, draft: true });
    expect(draft.body).toMatchObject({ reason: 'draft_pull_request', builds: [] });
    expect(draft.body.message).toContain('Build draft pull requests');
    await expectStatus(autoCi({ buildDraftPullRequests: true }, org.token), 200);
    const settings = api.client(org.token).services[':id']['auto-ci'].$get({ param: { id: web.id } });
    expect(await expectStatus(settings, 200)).toMatchObject({ buildDraftPullRequests: true });
    const built = await pullRequest({ number: 13, draft: true, sha: sha('d') });
    expect(built.body.builds).toHaveLength(1);
    const off = await expectStatus(autoCi({ buildDraftPullRequests: false }, org.token), 200);
    expect(off.buildDraftPullRequests).toBe(false);
    const ready = await pullRequest({ number: 13, action: 'ready_for_review', draft: false, sha: sha('e') });
    expect(ready.body.builds).toHaveLength(1);
  });

  it('pull requests from forks (and from deleted forks) follow the admin-only fork rule', async () => {
    const before = await buildCount();
    const fromFork = await pullRequest({ number: 14, fork: forkRepo, headRef: 'main' });
    expect(fromFork.body).toMatchObject({ reason: 'fork_pull_request', builds: [] });
    expect(fromFork.body.message).toMatch(
      /Pull request #14 comes from a fork.*Build merge requests and pull requests from forks/,
    );
    const deletedFork = await pullRequest({ number: 15, fork: null });
    expect(deletedFork.body.reason).toBe('fork_pull_request');
    expect(await buildCount()).toBe(before);

    await expectStatus(autoCi({ buildForkMergeRequests: true }, org.token), 403);
    expect((await expectStatus(autoCi({ buildForkMergeRequests: true }), 200)).buildForkMergeRequests).toBe(true);
    const built = await pullRequest({ number: 14, fork: forkRepo, headRef: 'main', sha: sha('f') });
    expect(await buildRow(built.body.builds[0].buildId)).toMatchObject({
      pullRequestNumber: 14,
      branch: 'main',
      ref: 'refs/pull/14/head',
    });
    // A fork's draft still needs the draft setting.
    expect((await pullRequest({ number: 16, fork: forkRepo, draft: true })).body.reason).toBe('draft_pull_request');
    await autoCi({ buildForkMergeRequests: false });
  });
});

describe('pull request builds are untrusted', () => {
  // A cluster, auto-deploy on and a secret build arg: everything a pull request build must not reach.
  beforeAll(async () => {
    await attachCluster(api, org, web.id, 'https://127.0.0.1:1');
    await expectStatus(autoCi({ autoDeploy: true, secretBuildArgs: { NPM_TOKEN: 'npm_secret_value' } }), 200);
  });
  afterAll(async () => {
    await autoCi({ autoDeploy: false, secretBuildArgs: { NPM_TOKEN: null } });
    await api.db.update(services).set({ clusterId: null }).where(eq(services.id, web.id));
  });

  it('are tagged pr-<n> and the sha, never a branch, get no secrets, and never deploy, even with auto-deploy on', async () => {
    const head = sha('a');
    const pr = await pullRequest({ number: 21, headRef: 'main', sha: head });
    const push = await deliver('push', githubPush(repo, { message: 'control push', repoId: 4242 }));
    const prBuild = await buildRow(pr.body.builds[0].buildId);
    const images = imageReferences({
      registryHost: '127.0.0.1:5000',
      project: 'acme',
      name: 'web',
      sha: head,
      branch: prBuild.branch!,
      pullRequestNumber: prBuild.pullRequestNumber,
    });
    expect(images).toEqual([`127.0.0.1:5000/acme/web:${head}`, '127.0.0.1:5000/acme/web:pr-21']);

    expect((await planOf(prBuild.id)).autoDeploy).toBe(false);
    expect((await planOf(push.body.builds[0].buildId)).autoDeploy).toBe(true);
    const loaded = await loadBuildForWorkflow(api.db, api.cipher, prBuild.id);
    expect(loaded).toMatchObject({
      trusted: false,
      autoCi: { secretBuildArgs: {}, withheldSecretBuildArgs: ['NPM_TOKEN'] },
    });
    expect((await loadBuildForWorkflow(api.db, api.cipher, push.body.builds[0].buildId)).trusted).toBe(true);

    const deploy = createDeployActivities({ db: api.db, cipher: api.cipher });
    await api.db
      .update(builds)
      .set({ images: [images[0]!], digest: `sha256:${'1'.repeat(64)}` })
      .where(eq(builds.id, prBuild.id));
    await expect(
      new MockActivityEnvironment().run(deploy.deployBuild, {
        buildId: prBuild.id,
        digest: `sha256:${'1'.repeat(64)}`,
      }),
    ).rejects.toThrow(/pull request builds are never deployed/);
  });

  it('a rollback never deploys a pull request image', async () => {
    await api.db.update(builds).set({ status: 'Failed' }).where(eq(builds.serviceId, web.id));
    const delivered = await pullRequest({ number: 22, headRef: 'main', sha: sha('b') });
    const pr = await buildRow(delivered.body.builds[0].buildId);
    await api.db
      .update(builds)
      .set({
        status: 'Succeeded',
        finishedAt: new Date(),
        digest: `sha256:${'2'.repeat(64)}`,
        images: ['127.0.0.1:5000/acme/web:pr-22'],
      })
      .where(eq(builds.id, pr.id));
    // The rollback runs as a workflow on Kiln's worker. This file's build workflows wait without one (the tests
    // signal them), so they are ended first and the worker runs for this test only.
    for (const row of await api.db.select().from(builds)) {
      await temporal.client.workflow
        .getHandle(row.workflowId)
        .terminate('pull-requests test: rollback worker starts')
        .catch((error: unknown) => {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        });
    }
    const worker = await startKilnWorker(temporal, api);
    try {
      const rollback = api.client(org.token).services[':id'].rollback.$post({ param: { id: web.id } });
      expect((await expectStatus(rollback, 409)).message).toContain('No earlier successful build');
      const outcome = await temporal.client.workflow.getHandle(rollbackWorkflowId(web.id)).describe();
      expect(outcome.status.name).toBe('FAILED');
    } finally {
      await worker.stop();
    }
  });
});

describe('superseding and closing', () => {
  it('a newer build supersedes older running builds of the same pull request only', async () => {
    const older = await pullRequest({ number: 30, headRef: 'shared', sha: sha('3') });
    const other = await pullRequest({ number: 31, headRef: 'shared', sha: sha('4') });
    const newer = await pullRequest({ number: 30, action: 'synchronize', headRef: 'shared', sha: sha('5') });
    const olderRow = await buildRow(older.body.builds[0].buildId);
    const plan = await planOf(newer.body.builds[0].buildId);
    expect(plan.supersedes).toEqual([olderRow.workflowId]);
    expect(plan.supersedeReason).toMatch(/^Superseded by a newer build of pull request #30 /);
    // Neither the other pull request from the same head branch nor a push of that branch supersedes them.
    expect((await planOf(other.body.builds[0].buildId)).supersedes).toEqual([]);
    const push = await deliver('push', githubPush(repo, { ref: 'refs/heads/shared', repoId: 4242, message: 'x' }));
    expect(push.body.skipped?.[0]?.reason ?? 'built').toBe('branch_not_in_filter');
    await autoCi({ branchFilter: ['main', 'shared'] });
    const built = await deliver('push', githubPush(repo, { ref: 'refs/heads/shared', repoId: 4242, message: 'y' }));
    expect((await planOf(built.body.builds[0].buildId)).supersedes).toEqual([]);
    await autoCi({ branchFilter: ['main'] });
  });

  it('closing a pull request cancels its running builds, and only those', async () => {
    const first = await pullRequest({ number: 40, sha: sha('6') });
    const second = await pullRequest({ number: 40, action: 'synchronize', sha: sha('7') });
    const otherPr = await pullRequest({ number: 41, sha: sha('8') });
    const ids = [first, second].map((r) => r.body.builds[0].buildId as string);

    const closed = await pullRequest({ number: 40, action: 'closed' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ reason: 'pull_request_closed', builds: [] });
    expect(closed.body.cancelled.map((c: JsonBody) => c.buildId).sort()).toEqual([...ids].sort());
    expect(closed.body.message).toMatch(/^Pull request #40 was closed: cancelled 2 running builds/);
    for (const id of ids)
      expect(await cancelReasonOf((await buildRow(id)).workflowId)).toBe('Pull request #40 was closed');
    expect(await cancelReasonOf((await buildRow(otherPr.body.builds[0].buildId)).workflowId)).toBeUndefined();

    const merged = await pullRequest({ number: 41, action: 'closed', merged: true });
    expect(merged.body.message).toMatch(/^Pull request #41 was merged: cancelled 1 running build/);
    const nothing = await pullRequest({ number: 42, action: 'closed' });
    expect(nothing.body).toMatchObject({
      message: 'Pull request #42 was closed: no running build to cancel.',
      cancelled: [],
    });
    // Finished builds are left alone.
    await api.db.update(builds).set({ status: 'Succeeded' }).where(eq(builds.pullRequestNumber, 41));
    expect((await pullRequest({ number: 41, action: 'closed' })).body.cancelled).toEqual([]);
  });

  it('a recorded build whose workflow never started is ended as Cancelled, so the reconciler cannot start it', async () => {
    const [lost] = await api.db
      .insert(builds)
      .values({
        serviceId: web.id,
        organizationId: org.organizationId,
        trigger: 'webhook',
        event: 'pull_request',
        provider: 'github',
        ref: 'refs/pull/60/head',
        sha: sha('c'),
        pullRequestNumber: 60,
        workflowId: `never-started-${web.id}`,
      })
      .returning();
    const closed = await pullRequest({ number: 60, action: 'closed' });
    expect(closed.status).toBe(200);
    expect(closed.body.cancelled).toEqual([{ serviceId: web.id, service: 'web', buildId: lost!.id }]);
    expect(await buildRow(lost!.id)).toMatchObject({
      status: 'Cancelled',
      error: 'Pull request #60 was closed',
      errorType: 'Cancelled',
    });
  });

  it('the delivery record keeps the close and what it cancelled', async () => {
    const deliveries = api.client(org.token).services[':id'].webhook.deliveries;
    const page = await expectStatus(deliveries.$get({ param: { id: web.id }, query: { pageSize: 100 } }), 200);
    const items: JsonBody[] = page.items;
    const close = items.find((d) => d.response?.reason === 'pull_request_closed' && d.response.cancelled.length === 2);
    expect(close, JSON.stringify(items.slice(0, 3))).toBeTruthy();
  });
});

describe('commit status', () => {
  it('goes on the pull request head sha at GitHub, never on the base', async () => {
    const head = sha('9');
    const payload = githubPullRequest(repo, { number: 50, sha: head });
    const res = await deliver('pull_request', payload);
    const buildId: string = res.body.builds[0].buildId;
    const status = createCommitStatusActivities({
      db: api.db,
      cipher: api.cipher,
      publicUrl: 'https://kiln.example.com',
      logger: { info: () => undefined, warn: () => undefined },
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await status.reportCommitStatus({ buildId, state: 'running' });
    await status.reportCommitStatus({ buildId, state: 'success' });
    const statuses = github.repos.get(repo)!.statuses;
    expect(statuses.filter((s) => s.sha === head).map((s) => [s.state, s.context, s.target_url])).toEqual([
      ['pending', 'kiln/build', `https://kiln.example.com/#/builds/${buildId}`],
      ['success', 'kiln/build', `https://kiln.example.com/#/builds/${buildId}`],
    ]);
    expect(statuses.some((s) => s.sha === payload.pull_request.base.sha)).toBe(false);
  });
});
