import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiln } from '../support/kiln';
import type { TestKiln } from '../support/kiln';
import { buildLog, eventually, pushWebhook, registerService, startPipelineWorld, replayEveryBuild } from './setup';
import type { PipelineWorld } from './setup';

let world: PipelineWorld;
let kiln: TestKiln;

// How long the RUN step ticks is a file in the commit, so one repository has slow and fast commits.
const repoFiles = (busybox: string, ticks: number) => ({
  Dockerfile: `FROM ${busybox}\nCOPY ticks /ticks\nRUN for i in $(seq 1 $(cat /ticks)); do echo "tick $i"; sleep 1; done\n`,
  ticks: `${ticks}\n`,
});

beforeAll(async () => {
  world = await startPipelineWorld();
  // One build slot on the worker: the global limit on concurrent builds.
  kiln = await startTestKiln({ KILN_MAX_CONCURRENT_BUILDS: '1' });
}, 180_000);

afterAll(async () => {
  await kiln?.stop();
  await world?.stop();
});

/** When the builder of a build ran: from its first to its last line in the build part of the log. */
async function builderSpan(buildId: string): Promise<{ from: number; to: number }> {
  const logs = await kiln.api('GET', `/builds/${buildId}/logs?pageSize=1000`);
  const lines: { seq: number; at: string }[] = logs.body.items ?? logs.body.lines;
  // The builder writes from its own seq range (activities/build-log.ts: part 5).
  const times = lines.filter((line) => line.seq >= 5_000_000 && line.seq < 6_000_000).map((l) => Date.parse(l.at));
  expect(times.length).toBeGreaterThan(0);
  return { from: Math.min(...times), to: Math.max(...times) };
}

describe('concurrent builds', () => {
  it('with KILN_MAX_CONCURRENT_BUILDS=1 builds of two services never build at the same time', async () => {
    const one = await world.git.createRepository('one', repoFiles(world.busybox, 3));
    const two = await world.git.createRepository('two', repoFiles(world.busybox, 3));
    const [serviceOne, serviceTwo] = [
      await registerService(kiln, world, 'one'),
      await registerService(kiln, world, 'two'),
    ];
    const ids = await Promise.all([pushWebhook(kiln, serviceOne, one.sha), pushWebhook(kiln, serviceTwo, two.sha)]);
    const builds = await Promise.all(ids.map((id) => kiln.waitForBuild(id, undefined, 60_000)));
    expect(builds.map((build) => build.status)).toEqual(['Succeeded', 'Succeeded']);

    const [a, b] = await Promise.all(ids.map(builderSpan));
    const [first, second] = a!.from < b!.from ? [a!, b!] : [b!, a!];
    expect(second.from).toBeGreaterThanOrEqual(first.to);
  }, 60_000);

  it('a newer push to the same branch supersedes the running build', async () => {
    const slowSha = (await world.git.createRepository('busy', repoFiles(world.busybox, 40))).sha;
    const service = await registerService(kiln, world, 'busy');
    const oldId = await pushWebhook(kiln, service, slowSha);
    await eventually('the old build to tick', async () => (await buildLog(kiln, oldId)).includes('tick 1'));

    const newSha = await world.git.commit('busy', repoFiles(world.busybox, 0), 'faster');
    const newId = await pushWebhook(kiln, service, newSha);
    const old = await kiln.waitForBuild(oldId, undefined, 20_000);
    expect(old.status).toBe('Cancelled');
    expect(old.error).toBe(`Superseded by a newer build of main (${newSha.slice(0, 8)}).`);
    const newer = await kiln.waitForBuild(newId, undefined, 40_000);
    expect(newer.status, newer.error).toBe('Succeeded');
    expect(newer.sha).toBe(newSha);
  }, 60_000);

  it('with supersedeRunning off both builds of the branch run to the end', async () => {
    const firstSha = (await world.git.createRepository('patient', repoFiles(world.busybox, 4))).sha;
    const service = await registerService(kiln, world, 'patient', { supersedeRunning: false });
    const firstId = await pushWebhook(kiln, service, firstSha);
    await eventually('the first build to tick', async () => (await buildLog(kiln, firstId)).includes('tick 1'));

    const secondSha = await world.git.commit('patient', repoFiles(world.busybox, 0), 'second');
    const secondId = await pushWebhook(kiln, service, secondSha);
    const builds = await Promise.all([firstId, secondId].map((id) => kiln.waitForBuild(id, undefined, 40_000)));
    expect(builds.map((build) => [build.status, build.sha])).toEqual([
      ['Succeeded', firstSha],
      ['Succeeded', secondSha],
    ]);
    expect(await buildLog(kiln, firstId)).toContain('tick 4');
  }, 60_000);

  it("every build's history replays cleanly against the current workflow code", async () => {
    expect(await replayEveryBuild(kiln)).toBeGreaterThan(0);
  }, 60_000);
});
