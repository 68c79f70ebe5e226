import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiln } from '../support/kiln';
import type { TestKiln } from '../support/kiln';
import { gitToken, pushWebhook, registerService, registryDigest, registryPassword, startPipelineWorld } from './setup';
import type { PipelineWorld } from './setup';

let world: PipelineWorld;
let kiln: TestKiln;

beforeAll(async () => {
  world = await startPipelineWorld();
  kiln = await startTestKiln();
}, 180_000);

afterAll(async () => {
  await kiln?.stop();
  await world?.stop();
});

describe('a signed GitLab push', () => {
  it('builds the pushed commit, pushes the image and stores the digest the registry reports', async () => {
    const { sha } = await world.git.createRepository('hello', {
      Dockerfile: `FROM ${world.busybox}\nARG GREETING=hi\nRUN echo "$GREETING from kiln" | tee /greeting.txt\nCMD ["cat", "/greeting.txt"]\n`,
      'package.json': JSON.stringify({ name: 'hello', dependencies: { express: '^4' } }),
    });
    const service = await registerService(kiln, world, 'hello', { buildArgs: { GREETING: 'hello' } });

    const buildId = await pushWebhook(kiln, service, sha, { message: 'feat: greet' });
    const build = await kiln.waitForBuild(buildId);

    expect(build.status, build.error).toBe('Succeeded');
    expect(build.progress).toBe(100);
    expect(build.currentStep).toBe('Done');
    expect(build.sha).toBe(sha);
    expect(build.images).toEqual([
      `${world.registry.host}/team/hello:${sha}`,
      `${world.registry.host}/team/hello:main`,
    ]);
    expect(build.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(build.digest).toBe(await registryDigest(world, 'team/hello', sha));
    expect(await registryDigest(world, 'team/hello', 'main')).toBe(build.digest);

    const logs = await kiln.api('GET', `/builds/${buildId}/logs?pageSize=1000`);
    const lines: { text: string; stream: string }[] = logs.body.items ?? logs.body.lines;
    expect(lines[0]?.text).toMatch(/^Triggered by Webhook/);
    const text = lines.map((line) => line.text).join('\n');
    expect(text).toContain('hello from kiln');
    expect(text).toContain('Build profile: medium');
    expect(text).toMatch(/Build succeeded in/);
    expect(text).not.toContain(gitToken);
    expect(text).not.toContain(registryPassword);
  });
});
