import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiln } from '../support/kiln';
import type { TestKiln } from '../support/kiln';
import {
  buildLog,
  eventually,
  gitToken,
  pushWebhook,
  registerService,
  registryPassword,
  startPipelineWorld,
  replayEveryBuild,
} from './setup';
import type { PipelineWorld } from './setup';

let world: PipelineWorld;
let kiln: TestKiln;

const wrongGitToken = 'glpat-wrong-org-token-7731';
const wrongRegistryPassword = 'registry-wrong-password-5519';
const secrets = [gitToken, wrongGitToken, registryPassword, wrongRegistryPassword];

// Operator limits, shortened so each rule shows in seconds: one build slot, 3 s in the queue, 12 s per build,
// 4 s without output. These are the same knobs an operator sets (README: Configuration).
beforeAll(async () => {
  world = await startPipelineWorld();
  kiln = await startTestKiln({
    LOG_LEVEL: 'debug',
    KILN_MAX_CONCURRENT_BUILDS: '1',
    KILN_PENDING_TIMEOUT_SECONDS: '3',
    KILN_MAX_BUILD_SECONDS: '12',
    KILN_BUILD_IDLE_TIMEOUT_SECONDS: '4',
  });
}, 180_000);

afterAll(async () => {
  await kiln?.stop();
  await world?.stop();
});

/** Builds `files` as a new service and returns the finished build, its log, and the failure it must show. */
async function failedBuild(name: string, files: Record<string, string>, options: { registryId?: string } = {}) {
  const { sha } = await world.git.createRepository(name, files);
  const service = await registerService(kiln, world, name, {}, options);
  const buildId = await pushWebhook(kiln, service, sha);
  const build = await kiln.waitForBuild(buildId, undefined, 60_000);
  expect(build.status, build.error).toBe('Failed');
  const log = await buildLog(kiln, buildId);
  // The user reads the same message on the build and as the last line of its log.
  expect(log.at(-1)).toBe(`Build failed after ${/after ([\d.]+ s)/.exec(log.at(-1) ?? '')?.[1]}: ${build.error}`);
  return { build, log, service };
}

const ticking = (busybox: string, seconds: number) =>
  `FROM ${busybox}\nRUN for i in $(seq 1 ${seconds}); do echo "tick $i"; sleep 1; done\n`;

describe('build failures a user can act on', () => {
  it('"Dockerfile not found" for a repository without one', async () => {
    const { build } = await failedBuild('no-dockerfile', { 'index.html': '<h1>hi</h1>\n' });
    expect(build.errorType).toBe('DockerfileNotFound');
    expect(build.error).toMatch(/^Dockerfile not found/);
  }, 60_000);

  it('"Git clone failed" with a wrong organization token, which never shows in logs or API responses', async () => {
    const providers = await kiln.api('GET', '/git-providers');
    const provider = providers.body.items?.[0] ?? providers.body[0];
    expect(
      (await kiln.api('PATCH', `/git-providers/${provider.id}`, { token: wrongGitToken, verify: false })).status,
    ).toBe(200);
    try {
      const { build, service } = await failedBuild('clone-denied', { Dockerfile: `FROM ${world.busybox}\n` });
      expect(build.errorType).toBe('GitCloneFailed');
      expect(build.error).toMatch(/^Git clone failed/);
      expect(build.error).toMatch(/read_repository/);

      const responses = await Promise.all(
        [
          `/builds/${build.id}`,
          `/builds/${build.id}/logs?pageSize=1000`,
          `/builds?serviceId=${service.id}`,
          `/services/${service.id}`,
          `/services/${service.id}/auto-ci`,
          `/git-providers`,
          `/git-providers/${provider.id}`,
          `/registries`,
        ].map((route) => kiln.api('GET', route)),
      );
      const everything = JSON.stringify(responses) + kiln.serverLog();
      expect(responses.every((response) => response.status === 200)).toBe(true);
      for (const secret of secrets) expect(everything).not.toContain(secret);
      expect(world.git.requests.some((request) => request.authorization)).toBe(true);
    } finally {
      await kiln.api('PATCH', `/git-providers/${provider.id}`, { token: gitToken, verify: false });
    }
  }, 60_000);

  it('"Registry authentication failed" with a wrong registry password', async () => {
    const registry = await kiln.api('POST', '/registries', {
      name: 'wrong-password',
      kind: 'oci',
      url: `http://${world.registry.host}`,
      project: 'team',
      username: 'kiln',
      password: wrongRegistryPassword,
      insecure: true,
    });
    expect(registry.status, JSON.stringify(registry.body)).toBe(201);
    const { build, log } = await failedBuild(
      'push-denied',
      { Dockerfile: `FROM ${world.busybox}\n` },
      { registryId: registry.body.id },
    );
    expect(build.errorType).toBe('RegistryAuthFailed');
    expect(build.error).toMatch(/^Registry authentication failed/);
    expect(log.join('\n')).not.toContain(wrongRegistryPassword);
  }, 60_000);

  it('"Build stalled" when the builder prints nothing for the idle limit', async () => {
    const { build } = await failedBuild('silent', { Dockerfile: `FROM ${world.busybox}\nRUN sleep 30\n` });
    expect(build.errorType).toBe('BuildNoOutput');
    expect(build.error).toMatch(/^Build stalled: the builder printed nothing for 4 s/);
    expect(build.durationMs).toBeLessThan(20_000);
  }, 60_000);

  it('"Build timeout" at the limit, and a build waiting for the busy slot fails as stuck in pending', async () => {
    // The first build keeps the only slot busy until its 12 s limit; the second cannot start within 3 s.
    const slow = await world.git.createRepository('slow', { Dockerfile: ticking(world.busybox, 60) });
    const slowService = await registerService(kiln, world, 'slow');
    const slowBuildId = await pushWebhook(kiln, slowService, slow.sha);
    await eventually('the slow build to run', async () => (await buildLog(kiln, slowBuildId)).includes('tick 1'));

    const { build: stuck, log: stuckLog } = await failedBuild('queued', { Dockerfile: `FROM ${world.busybox}\n` });
    expect(stuck.errorType).toBe('BuildStuckPending');
    expect(stuck.error).toBe(
      'Build stuck in pending: every build slot stayed busy for 3 seconds. Wait for running builds to finish, or cancel the ones you do not need.',
    );
    expect(stuckLog.join('\n')).not.toMatch(/STEP \d/);

    const timedOut = await kiln.waitForBuild(slowBuildId, undefined, 60_000);
    expect(timedOut.status).toBe('Failed');
    expect(timedOut.errorType).toBe('BuildTimeout');
    expect(timedOut.error).toMatch(/^Build timeout: /);
    const log = await buildLog(kiln, slowBuildId);
    expect(log).toContain('tick 5');
    expect(log).not.toContain('tick 20');
    expect(log.at(-1)).toBe(`Build failed after ${/after ([\d.]+ s)/.exec(log.at(-1) ?? '')?.[1]}: ${timedOut.error}`);
  }, 60_000);

  it("every build's history replays cleanly against the current workflow code", async () => {
    expect(await replayEveryBuild(kiln)).toBeGreaterThan(0);
  }, 60_000);
});
