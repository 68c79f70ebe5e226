import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiln } from '../support/kiln';
import type { TestKiln } from '../support/kiln';
import {
  buildLog,
  eventually,
  processesMatching,
  pushWebhook,
  registerService,
  startPipelineWorld,
  replayEveryBuild,
} from './setup';
import type { PipelineWorld, RegisteredService } from './setup';

let world: PipelineWorld;
let kiln: TestKiln;
let service: RegisteredService;
let repoSha: string;

// The nap is a build arg so the retry can finish quickly while building the very same commit.
const dockerfile = (busybox: string) => `FROM ${busybox}\nARG NAP=0\nRUN echo "napping $NAP" && sleep $NAP\n`;

beforeAll(async () => {
  world = await startPipelineWorld();
  kiln = await startTestKiln();
  repoSha = (await world.git.createRepository('sleepy', { Dockerfile: dockerfile(world.busybox) })).sha;
  service = await registerService(kiln, world, 'sleepy', { buildArgs: { NAP: '37' } });
}, 180_000);

afterAll(async () => {
  await kiln?.stop();
  await world?.stop();
});

/** Starts a build of `sha` and waits until its RUN step is sleeping inside buildah. */
async function buildThatSleeps(sha: string): Promise<string> {
  const buildId = await pushWebhook(kiln, service, sha);
  await eventually('the RUN step to start sleeping', async () => (await processesMatching('sleep', '37')).length > 0);
  return buildId;
}

/** Asserts the build ended Cancelled within 5 s of `requestedAt`, with no buildah or RUN process left behind. */
async function expectCancelledQuickly(buildId: string, requestedAt: number) {
  const build = await kiln.waitForBuild(buildId, ['Succeeded', 'Failed', 'Cancelled'], 10_000);
  const tookMs = Date.now() - requestedAt;
  expect(build.status, build.error).toBe('Cancelled');
  expect(tookMs).toBeLessThan(5000);
  await eventually(
    'buildah and the RUN step to be gone',
    async () =>
      (await processesMatching('buildah', buildId)).length + (await processesMatching('sleep', '37')).length === 0,
    Math.max(5000 - (Date.now() - requestedAt), 1),
  );
  return build;
}

describe('cancelling a running build', () => {
  let cancelledBuildId: string;

  it('POST /builds/:id/cancel stops buildah and ends the build as Cancelled within 5 s', async () => {
    const buildId = await buildThatSleeps(repoSha);
    const requestedAt = Date.now();
    const response = await kiln.api('POST', `/builds/${buildId}/cancel`, { reason: 'Not needed any more' });
    expect(response.status).toBe(202);

    const build = await expectCancelledQuickly(buildId, requestedAt);
    expect(build.error).toBe('Not needed any more');
    const log = await buildLog(kiln, buildId);
    expect(log.at(-1)).toMatch(/^Build cancelled after [\d.]+ s: Not needed any more$/);
    cancelledBuildId = buildId;
  }, 60_000);

  it('a Temporal cancellation of the workflow does the same', async () => {
    const sha = await world.git.commit('sleepy', { Dockerfile: dockerfile(world.busybox), 'README.md': 'again\n' });
    const buildId = await buildThatSleeps(sha);
    const { body: running } = await kiln.api('GET', `/builds/${buildId}`);
    const requestedAt = Date.now();
    await (await kiln.temporal()).workflow.getHandle(running.workflowId).cancel();

    const build = await expectCancelledQuickly(buildId, requestedAt);
    expect(build.error).toBe('Build cancelled.');
  }, 60_000);

  it('retry builds the same ref and sha again, as a new build that succeeds', async () => {
    const saved = await kiln.api('PUT', `/services/${service.id}/auto-ci`, { buildArgs: { NAP: '0' } });
    expect(saved.status).toBe(200);
    const { body: old } = await kiln.api('GET', `/builds/${cancelledBuildId}`);

    const retried = await kiln.api('POST', `/builds/${cancelledBuildId}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.body.id).not.toBe(cancelledBuildId);
    const build = await kiln.waitForBuild(retried.body.id, undefined, 60_000);

    expect(build.status, build.error).toBe('Succeeded');
    expect({ ref: build.ref, sha: build.sha, retryOf: build.retryOfBuildId }).toEqual({
      ref: old.ref,
      sha: repoSha,
      retryOf: cancelledBuildId,
    });
    expect((await kiln.api('GET', `/builds/${cancelledBuildId}`)).body.status).toBe('Cancelled');
  }, 60_000);

  it("every build's history replays cleanly against the current workflow code", async () => {
    expect(await replayEveryBuild(kiln)).toBeGreaterThan(0);
  }, 60_000);
});
