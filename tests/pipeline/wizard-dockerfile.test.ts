import { describe, expect, it } from 'vitest';
import { wizardDockerfileLine } from '../../builders/wizard-dockerfile';
import { buildLog, pushWebhook, registerService, registryDigest, useKilnWorld } from './setup';

const env = useKilnWorld();

describe('"Use for builds" through the API and a worker', () => {
  it('builds a repository without a Dockerfile from the stored one, until the repository adds its own', async () => {
    const repo = 'wizard-no-dockerfile';
    const app = { 'app.txt': 'served by kiln\n', 'notes.secret': 'do not ship\n' };
    const first = await env.world.git.createRepository(repo, app);
    const service = await registerService(env.kiln, env.world, repo);

    // Without a stored Dockerfile the build fails the way the build page offers the wizard for.
    const missing = await env.kiln.waitForBuild(await pushWebhook(env.kiln, service, first.sha));
    expect(missing.status).toBe('Failed');
    expect(missing.errorType).toBe('DockerfileNotFound');

    // The stored .dockerignore applies (the RUN fails if notes.secret reached the context).
    const dockerfile =
      `FROM ${env.world.busybox}\nCOPY . /app/\n` +
      'RUN test -f /app/app.txt && test ! -e /app/notes.secret && echo "wizard dockerfile ran"\n' +
      'CMD ["cat", "/app/app.txt"]\n';
    const stored = await env.kiln.api('PUT', `/services/${service.id}/dockerfile`, {
      dockerfile,
      dockerignore: '.git\n*.secret\n',
    });
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);

    const second = await env.world.git.commit(repo, { ...app, 'README.md': 'no Dockerfile here\n' }, 'docs');
    const wizardBuildId = await pushWebhook(env.kiln, service, second);
    const wizardBuild = await env.kiln.waitForBuild(wizardBuildId);
    expect(wizardBuild.status, wizardBuild.error).toBe('Succeeded');
    const wizardLog = (await buildLog(env.kiln, wizardBuildId)).join('\n');
    expect(wizardLog).toContain(wizardDockerfileLine);
    expect(wizardLog).toContain('wizard dockerfile ran');
    expect(wizardBuild.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryDigest(env.world, `team/${repo}`, second)).toBe(wizardBuild.digest);

    // The repository's own Dockerfile wins as soon as it has one, though the stored one is still there.
    const own = `FROM ${env.world.busybox}\nRUN echo "own dockerfile ran"\n`;
    const third = await env.world.git.commit(repo, { ...app, Dockerfile: own }, 'Add a Dockerfile');
    const ownBuildId = await pushWebhook(env.kiln, service, third);
    const ownBuild = await env.kiln.waitForBuild(ownBuildId);
    expect(ownBuild.status, ownBuild.error).toBe('Succeeded');
    const ownLog = (await buildLog(env.kiln, ownBuildId)).join('\n');
    expect(ownLog).toContain('own dockerfile ran');
    expect(ownLog).not.toContain(wizardDockerfileLine);
    expect(ownLog).not.toContain('wizard dockerfile ran');
    expect(await registryDigest(env.world, `team/${repo}`, third)).toBe(ownBuild.digest);
    expect(ownBuild.digest).not.toBe(wizardBuild.digest);
    expect((await env.kiln.api('GET', `/services/${service.id}/dockerfile`)).body.dockerfile).toBe(dockerfile);
  }, 240_000);
});
