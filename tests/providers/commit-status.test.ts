import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommitState, createCommitStatusActivities, type StatusLogger } from '../../activities/commit-status';
import { createSecretCipher } from '../../db/crypto';
import { builds, gitProviders, organizations, services } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github';
import { type FakeGitLab, startFakeGitLab } from '../support/fake-gitlab';

const cipher = createSecretCipher(randomBytes(32));
const sha = 'bcbb5ec396a2c0f828686f14fac9b80b780504f2';
let database: TestDatabase;
let gitlab: FakeGitLab;
let github: FakeGitHub;
const logs: { level: 'info' | 'warn'; details: Record<string, unknown>; message: string }[] = [];
const logger: StatusLogger = {
  info: (details, message) => logs.push({ level: 'info', details: details as Record<string, unknown>, message }),
  warn: (details, message) => logs.push({ level: 'warn', details: details as Record<string, unknown>, message }),
};

async function seedService(
  kind: 'gitlab' | 'github',
  baseUrl: string | null,
  token: string,
  repoUrl: string,
  projectPath: string,
) {
  const [org] = await database.db
    .insert(organizations)
    .values({ name: `org-${randomUUID()}` })
    .returning();
  if (baseUrl) {
    await database.db
      .insert(gitProviders)
      .values({ organizationId: org!.id, kind, baseUrl, tokenEnc: cipher.encrypt(token) });
  }
  const [service] = await database.db
    .insert(services)
    .values({
      organizationId: org!.id,
      name: 'app',
      gitProvider: kind,
      repoUrl,
      projectPath,
      projectId: kind === 'gitlab' ? '7' : null,
      webhookSecretEnc: cipher.encrypt('s'),
    })
    .returning();
  return service!;
}

async function seedBuild(
  service: { id: string; organizationId: string },
  values: Partial<typeof builds.$inferInsert> = {},
) {
  const [build] = await database.db
    .insert(builds)
    .values({
      serviceId: service.id,
      organizationId: service.organizationId,
      trigger: 'webhook',
      event: 'push',
      ref: 'refs/heads/main',
      branch: 'main',
      sha,
      workflowId: `wf-${randomUUID()}`,
      ...values,
    })
    .returning();
  return build!;
}

beforeAll(async () => {
  [database, gitlab, github] = await Promise.all([
    createTestDatabase({ poolSize: 2 }),
    startFakeGitLab(),
    startFakeGitHub(),
  ]);
  gitlab.addToken('glpat-api', ['api']);
  gitlab.addProject(7, 'group/app');
  github.addToken('ghp_repo', { login: 'kiln-bot', scopes: ['repo'] });
  github.addRepo('acme/shop');
});
afterAll(async () => Promise.all([database.close(), gitlab.stop(), github.stop()]));

const activities = () =>
  createCommitStatusActivities({
    db: database.db,
    cipher,
    publicUrl: 'https://kiln.example.com/',
    logger,
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 2_000 },
  });

describe('reportCommitStatus', () => {
  it('reports every GitLab state on the commit, attached to the commit pipeline, with a link to the build', async () => {
    const service = await seedService(
      'gitlab',
      gitlab.baseUrl,
      'glpat-api',
      `${gitlab.baseUrl}/group/app.git`,
      'group/app',
    );
    const pipeline = gitlab.addPipeline(7, { ref: 'main', sha, status: 'running' });
    const build = await seedBuild(service, { subproject: 'backend' });
    const { reportCommitStatus } = activities();
    for (const state of ['pending', 'running', 'success'] as CommitState[])
      await reportCommitStatus({ buildId: build.id, state });
    const statuses = gitlab.projects.get(7)!.statuses.filter((s) => s.name === 'kiln/build: backend');
    expect(statuses.map((s) => [s.status, s.pipelineId, s.ref])).toEqual([
      ['pending', pipeline.id, 'main'],
      ['running', pipeline.id, 'main'],
      ['success', pipeline.id, 'main'],
    ]);
    expect(statuses[0]!.targetUrl).toBe(`https://kiln.example.com/#/builds/${build.id}`);
  });

  it('attaches a merge-request build to the merge-request pipeline', async () => {
    const mrSha = 'aaaa5ec396a2c0f828686f14fac9b80b780504f2';
    const service = await seedService(
      'gitlab',
      gitlab.baseUrl,
      'glpat-api',
      `${gitlab.baseUrl}/group/app.git`,
      'group/app',
    );
    gitlab.addPipeline(7, { ref: 'feature', sha: mrSha, status: 'running' });
    const mr = gitlab.addPipeline(7, {
      ref: 'refs/merge-requests/3/head',
      sha: mrSha,
      status: 'running',
      source: 'merge_request_event',
    });
    const build = await seedBuild(service, {
      sha: mrSha,
      event: 'merge_request',
      branch: 'feature',
      ref: 'refs/heads/feature',
    });
    await activities().reportCommitStatus({ buildId: build.id, state: 'failed' });
    expect(gitlab.projects.get(7)!.statuses.findLast((s) => s.sha === mrSha)).toMatchObject({
      status: 'failed',
      pipelineId: mr.id,
      name: 'kiln/build',
    });
  });

  it('maps states for GitHub: running stays pending, failed is failure, canceled is error', async () => {
    const service = await seedService(
      'github',
      github.baseUrl,
      'ghp_repo',
      `${github.baseUrl}/acme/shop.git`,
      'acme/shop',
    );
    const build = await seedBuild(service, { error: 'Dockerfile not found at ./Dockerfile' });
    const canceledBuild = await seedBuild(service, { sha: 'c'.repeat(40) });
    const { reportCommitStatus } = activities();
    await reportCommitStatus({ buildId: build.id, state: 'running' });
    await reportCommitStatus({ buildId: build.id, state: 'failed' });
    await reportCommitStatus({ buildId: canceledBuild.id, state: 'canceled' });
    const statuses = github.repos.get('acme/shop')!.statuses;
    expect(statuses.map((s) => [s.sha.slice(0, 1), s.state, s.context, s.description])).toEqual([
      ['b', 'pending', 'kiln/build', 'Building'],
      ['b', 'failure', 'kiln/build', 'Failed: Dockerfile not found at ./Dockerfile'],
      ['c', 'error', 'kiln/build', 'Cancelled in Kiln'],
    ]);
    expect(statuses[0]!.target_url).toBe(`https://kiln.example.com/#/builds/${build.id}`);
  });

  it('retries a rate-limited report after Retry-After and succeeds', async () => {
    const service = await seedService(
      'github',
      github.baseUrl,
      'ghp_repo',
      `${github.baseUrl}/acme/shop.git`,
      'acme/shop',
    );
    const build = await seedBuild(service, { sha: 'd'.repeat(40) });
    github.secondaryRateLimit(/statuses/, 1);
    await activities().reportCommitStatus({ buildId: build.id, state: 'success' });
    expect(github.repos.get('acme/shop')!.statuses.filter((s) => s.sha === 'd'.repeat(40))).toHaveLength(1);
  });

  it('never throws: a rejected token, a missing token, a missing build and an outage are logged', async () => {
    logs.length = 0;
    const bad = await seedService(
      'gitlab',
      gitlab.baseUrl,
      'glpat-wrong',
      `${gitlab.baseUrl}/group/app.git`,
      'group/app',
    );
    const none = await seedService('gitlab', null, '', 'https://gitlab.example.com/group/app.git', 'group/app');
    const down = await seedService(
      'github',
      'http://127.0.0.1:9',
      'ghp_repo',
      'http://127.0.0.1:9/acme/shop.git',
      'acme/shop',
    );
    const { reportCommitStatus } = activities();
    await expect(reportCommitStatus({ buildId: (await seedBuild(bad)).id, state: 'pending' })).resolves.toBeUndefined();
    await expect(
      reportCommitStatus({ buildId: (await seedBuild(none)).id, state: 'pending' }),
    ).resolves.toBeUndefined();
    await expect(
      reportCommitStatus({ buildId: (await seedBuild(down)).id, state: 'pending' }),
    ).resolves.toBeUndefined();
    await expect(reportCommitStatus({ buildId: randomUUID(), state: 'pending' })).resolves.toBeUndefined();
    expect(logs.map((l) => [l.level, l.details.reason ?? l.message])).toEqual([
      [
        'warn',
        'GitLab rejected the token (401) while reporting commit status kiln/build: register a token with the api scope in organization settings.',
      ],
      [
        'warn',
        'No GitLab token is registered for https://gitlab.example.com: an organization admin registers one for exactly this address (scheme, host and port) in organization settings (Git providers).',
      ],
      [
        'warn',
        expect.stringMatching(
          /^Kiln cannot reach GitHub at http:\/\/127\.0\.0\.1:9\/api\/v3 while reporting commit status/,
        ),
      ],
      ['warn', 'commit status not reported: the build does not exist'],
    ]);
    expect(JSON.stringify(logs)).not.toContain('glpat-wrong');
  });

  it('reports nothing for a build without a commit yet (so no pending status is left behind)', async () => {
    const service = await seedService(
      'github',
      github.baseUrl,
      'ghp_repo',
      `${github.baseUrl}/acme/shop.git`,
      'acme/shop',
    );
    const before = github.repos.get('acme/shop')!.statuses.length;
    const build = await seedBuild(service, { sha: null, trigger: 'api', event: 'manual' });
    await activities().reportCommitStatus({ buildId: build.id, state: 'pending' });
    expect(github.repos.get('acme/shop')!.statuses).toHaveLength(before);
  });
});
