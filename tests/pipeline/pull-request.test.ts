// A GitHub pull request through the whole pipeline: the real git server holds the commit only on
// refs/pull/<n>/head, buildah builds it, the real registry gets pr-<n> and the sha (never the head branch), and
// closing the pull request stops a build whose RUN step is still sleeping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiln } from '../support/kiln';
import type { TestKiln } from '../support/kiln';
import { githubHeaders, githubPullRequest, type PullRequestOptions } from '../support/webhook-payloads';
import {
  buildLog,
  eventually,
  gitToken,
  processesMatching,
  registryDigest,
  registryPassword,
  replayEveryBuild,
  startPipelineWorld,
} from './setup';
import type { PipelineWorld } from './setup';

let world: PipelineWorld;
let kiln: TestKiln;
let service: { id: string; secret: string };
const repoName = 'pr-app';
const fullName = `team/${repoName}`;
const repoId = 5000 + Math.floor(Math.random() * 100000);

// The nap comes from a file the pull request changes, so one repository serves a quick and a sleepy build.
const dockerfile = (busybox: string) =>
  `FROM ${busybox}\nCOPY nap /nap\nRUN echo "napping $(cat /nap)" && sleep $(cat /nap)\n`;

beforeAll(async () => {
  world = await startPipelineWorld();
  kiln = await startTestKiln();
  await world.git.createRepository(repoName, { Dockerfile: dockerfile(world.busybox), nap: '0\n' });
  const connection = await kiln.api('POST', '/git-providers', {
    kind: 'github',
    baseUrl: world.git.baseUrl,
    token: gitToken,
    // The test git server speaks git over HTTP only, not the GitHub API the token check calls.
    verify: false,
  });
  expect(connection.status, JSON.stringify(connection.body)).toBe(201);
  const registry = await kiln.api('POST', '/registries', {
    name: 'local',
    kind: 'oci',
    url: `http://${world.registry.host}`,
    project: 'team',
    username: 'kiln',
    password: registryPassword,
    insecure: true,
  });
  const created = await kiln.api('POST', '/services', {
    name: repoName,
    gitProvider: 'github',
    repoUrl: `${world.git.baseUrl}/${repoName}.git`,
    projectPath: fullName,
    projectId: String(repoId),
    registryId: registry.body.id,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const saved = await kiln.api('PUT', `/services/${created.body.id}/auto-ci`, {
    enabled: true,
    branchFilter: ['main'],
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const webhook = await kiln.api('GET', `/services/${created.body.id}/webhook`);
  service = { id: created.body.id, secret: webhook.body.secretToken };
}, 180_000);

afterAll(async () => {
  await kiln?.stop();
  await world?.stop();
});

async function deliverPullRequest(options: PullRequestOptions) {
  const body = JSON.stringify(githubPullRequest(fullName, { repoId, ...options }));
  const response = await kiln.deliver('github', body, githubHeaders('pull_request', body, service.secret));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

describe('GitHub pull request builds', () => {
  it('build the commit on refs/pull/<n>/head and push pr-<n> and the sha, never the head branch', async () => {
    const sha = await world.git.commitOnRef(repoName, 'refs/pull/1/head', { 'feature.txt': 'new\n' }, 'feature');
    const delivered = await deliverPullRequest({ number: 1, headRef: 'feature/fast', sha });
    const build = await kiln.waitForBuild(delivered.builds[0].buildId, undefined, 120_000);
    expect(build.status, build.error).toBe('Succeeded');
    expect(build).toMatchObject({ event: 'pull_request', ref: 'refs/pull/1/head', sha, pullRequestNumber: 1 });
    const repository = `team/${repoName}`;
    expect(build.images).toEqual([
      `${world.registry.host}/${repository}:${sha}`,
      `${world.registry.host}/${repository}:pr-1`,
    ]);
    expect(await registryDigest(world, repository, 'pr-1')).toBe(build.digest);
    expect(await registryDigest(world, repository, sha)).toBe(build.digest);
    expect(await registryDigest(world, repository, 'feature-fast')).toBeNull();
    const log = await buildLog(kiln, build.id);
    expect(log).toContain('Triggered by Webhook (github pull_request, refs/pull/1/head @ ' + sha.slice(0, 12) + ')');
  }, 180_000);

  it('closing the pull request cancels its running build within 5 s, leaving no buildah or RUN process', async () => {
    const sha = await world.git.commitOnRef(repoName, 'refs/pull/2/head', { nap: '37\n' }, 'slow');
    const delivered = await deliverPullRequest({ number: 2, headRef: 'feature/slow', sha });
    const buildId: string = delivered.builds[0].buildId;
    await eventually('the RUN step to start sleeping', async () => (await processesMatching('sleep', '37')).length > 0);

    const requestedAt = Date.now();
    const closed = await deliverPullRequest({ number: 2, action: 'closed', headRef: 'feature/slow', sha });
    expect(closed).toMatchObject({ reason: 'pull_request_closed', cancelled: [{ serviceId: service.id, buildId }] });
    const build = await kiln.waitForBuild(buildId, ['Succeeded', 'Failed', 'Cancelled'], 10_000);
    expect(build.status, build.error).toBe('Cancelled');
    expect(Date.now() - requestedAt).toBeLessThan(5000);
    expect(build.error).toBe('Pull request #2 was closed');
    await eventually(
      'buildah and the RUN step to be gone',
      async () =>
        (await processesMatching('buildah', buildId)).length + (await processesMatching('sleep', '37')).length === 0,
      5000,
    );
    expect((await buildLog(kiln, buildId)).at(-1)).toMatch(
      /^Build cancelled after [\d.]+ s: Pull request #2 was closed$/,
    );
  }, 120_000);

  it("every build's history replays cleanly against the current workflow code", async () => {
    expect(await replayEveryBuild(kiln)).toBeGreaterThan(0);
  }, 60_000);
});
