import { describe, expect, it } from 'vitest';
import { gitToken, pushWebhook, registerService, registryDigest, registryPassword, useKilnWorld } from './setup';

const env = useKilnWorld();

describe('a signed GitLab push', () => {
  it('builds the pushed commit, pushes the image and stores the digest the registry reports', async () => {
    const { sha } = await env.world.git.createRepository('hello', {
      Dockerfile: `FROM ${env.world.busybox}\nARG GREETING=hi\nRUN echo "$GREETING from kiln" | tee /greeting.txt\nCMD ["cat", "/greeting.txt"]\n`,
      'package.json': JSON.stringify({ name: 'hello', dependencies: { express: '^4' } }),
    });
    const service = await registerService(env.kiln, env.world, 'hello', { buildArgs: { GREETING: 'hello' } });

    const buildId = await pushWebhook(env.kiln, service, sha, { message: 'feat: greet' });
    const build = await env.kiln.waitForBuild(buildId);

    expect(build.status, build.error).toBe('Succeeded');
    expect(build.progress).toBe(100);
    expect(build.currentStep).toBe('Done');
    expect(build.sha).toBe(sha);
    expect(build.images).toEqual([
      `${env.world.registry.host}/team/hello:${sha}`,
      `${env.world.registry.host}/team/hello:main`,
    ]);
    expect(build.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(build.digest).toBe(await registryDigest(env.world, 'team/hello', sha));
    expect(await registryDigest(env.world, 'team/hello', 'main')).toBe(build.digest);

    const logs = await env.kiln.api('GET', `/builds/${buildId}/logs?pageSize=1000`);
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
