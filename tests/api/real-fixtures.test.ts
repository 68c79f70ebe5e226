// Runs the providers' published payloads (../shared/fixtures/webhooks) through the webhook endpoints; skipped
// when that folder is absent (a fresh clone).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builds } from '../../db/schema';
import { createOrgWithMember, createTestApi, type JsonBody, type TestApi } from '../support/api-client';
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
  provider: string,
  project: string,
  branch: string,
) {
  const host = provider === 'gitlab' ? 'gitlab.example.com' : 'github.com';
  const svc = await api.request('POST', '/services', {
    token,
    body: { name, gitProvider: provider, repoUrl: `https://${host}/${project}.git`, registryId },
  });
  await api.request('PUT', `/services/${svc.body.id}/auto-ci`, {
    token,
    body: { enabled: true, branchFilter: [branch] },
  });
  const info = await api.request('GET', `/services/${svc.body.id}/webhook`, { token });
  secrets.set(project, info.body.secretToken);
}

async function send(provider: 'gitlab' | 'github', event: string, file: string, project: string) {
  const body = fixture(file);
  const secret = secrets.get(project) ?? 'unregistered';
  const headers =
    provider === 'gitlab' ? gitlabHeaders(event, secret) : githubHeaders(event, body.toString('utf8'), secret);
  const res = await api.app.request(`/api/v1/webhook/${provider}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as JsonBody };
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
    for (const kind of ['gitlab', 'github']) {
      await api.request('POST', '/git-providers', {
        body: { organizationId: org.organizationId, kind, token: 't', verify: false },
      });
    }
    const registry = await api.request('POST', '/registries', {
      token: org.adminToken,
      body: { name: 'reg', kind: 'oci', url: '127.0.0.1:5000', project: 'fx', username: 'u', password: 'p' },
    });
    const services: [string, string, string, string][] = [
      ['diaspora', 'gitlab', 'mike/diaspora', 'master'],
      ['example', 'gitlab', 'jsmith/example', 'master'],
      ['gitlab-test', 'gitlab', 'gitlabhq/gitlab-test', 'master'],
      ['meet', 'gitlab', 'rathod.meetsatish/meet', 'main'],
      ['hello-world', 'gitlab', 'gitlab-org/hello-world', 'master'],
      ['codertocat', 'github', 'Codertocat/Hello-World', 'master'],
      ['drone-test', 'github', 'bradrydzewski/drone-test-go', '*'],
    ];
    for (const [name, provider, project, branch] of services) {
      await register(org.adminToken, registry.body.id, name, provider, project, branch);
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
    for (const file of ['gitlab/merge_request.close.json', 'gitlab/merge_request.merge.json']) {
      const res = await send('gitlab', 'Merge Request Hook', file, 'gitlab-org/hello-world');
      expect(res.body).toMatchObject({ reason: 'merge_request_action', builds: [] });
    }
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

  it('GitHub ping answers 200 and other events are not processed', async () => {
    expect((await send('github', 'ping', 'github/ping.json', 'Octocoders/Hello-World')).status).toBe(200);
    const others: [string, string][] = [
      ['pull_request', 'github/pull_request.opened.json'],
      ['pull_request', 'github/pull_request.synchronize.json'],
      ['pull_request', 'github/pull_request.closed.json'],
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
