import { describe, expect, it } from 'vitest';
import { buildLog, gitToken, registerService, useKilnWorld } from './setup';

// A real git server with nothing but git over HTTP, connected as what it is: a plain git server. Kiln clones
// from it and must send it nothing else (no commit statuses, no API calls), saying so once in the build log.
const env = useKilnWorld();

const gitOnly = /^\/[\w.-]+\.git\/(info\/refs\?service=git-upload-pack|git-upload-pack)$/;

async function connectPlainServer() {
  const created = await env.kiln.api('POST', '/git-providers', {
    kind: 'gitlab',
    baseUrl: env.world.git.baseUrl,
    token: gitToken,
    providerApi: false,
  });
  expect([201, 409]).toContain(created.status);
}

async function manualBuild(serviceId: string) {
  const started = await env.kiln.api('POST', `/services/${serviceId}/builds`, { branch: 'main' });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return env.kiln.waitForBuild(started.body.id, undefined, 90_000);
}

describe('builds from a plain git server', () => {
  it('clones and pushes, posts nothing to the server, says so once, and titles the manual build by its commit', async () => {
    await connectPlainServer();
    const { world, kiln } = env;
    await world.git.createRepository('plain-app', { Dockerfile: `FROM ${world.busybox}\n` });
    await world.git.commit(
      'plain-app',
      { Dockerfile: `FROM ${world.busybox}\nLABEL page=front\n` },
      'Add the shop front page\n\nWith prices.',
    );
    const service = await registerService(kiln, world, 'plain-app', { enabled: false });
    const seen = world.git.requests.length;

    const build = await manualBuild(service.id);
    expect(build.status, build.error).toBe('Succeeded');
    expect(build.commitMessage).toBe('Add the shop front page');
    expect(build.commitAuthor).toBe('Kiln Test');

    const log = await buildLog(kiln, build.id);
    const notice = `${world.git.baseUrl} is a plain git server (no GitLab/GitHub API): Kiln posts no commit statuses there.`;
    expect(log.filter((line) => line === notice)).toHaveLength(1);
    // Every request the server saw during the build was a git fetch: no status, no API.
    const during = world.git.requests.slice(seen);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((r) => !gitOnly.test(r.url))).toEqual([]);

    const pipelines = await kiln.api('GET', `/services/${service.id}/pipelines`);
    expect(pipelines.body).toMatchObject({ linked: false, reason: 'plain-git' });
    expect(pipelines.body.message).toContain('is a plain git server');
    const register = await kiln.api('POST', `/services/${service.id}/webhook/register`, {});
    expect(register.status).toBe(409);
    expect(register.body.message).toContain('add it in the server by hand');
    expect(world.git.requests.slice(seen).filter((r) => !gitOnly.test(r.url))).toEqual([]);
  }, 150_000);

  it('asks for the token or password, never GitLab scopes, when the plain git server refuses the token', async () => {
    await connectPlainServer();
    const { world, kiln } = env;
    await world.git.createRepository('plain-denied', { Dockerfile: `FROM ${world.busybox}\n` });
    const service = await registerService(kiln, world, 'plain-denied', { enabled: false });
    const provider = (await kiln.api('GET', '/git-providers')).body.items[0];
    expect(provider.providerApi).toBe(false);
    const wrong = 'plain-wrong-password-4471';
    expect((await kiln.api('PATCH', `/git-providers/${provider.id}`, { token: wrong })).status).toBe(200);
    try {
      const build = await manualBuild(service.id);
      expect(build.status).toBe('Failed');
      expect(build.errorType).toBe('GitCloneFailed');
      expect(build.error).toMatch(/^Git clone failed: .*Authentication failed/);
      expect(build.error).toContain(
        "Check the token or password of the organization's Git connection for this server.",
      );
      expect(build.error).not.toContain('read_repository');
      expect(JSON.stringify(build) + kiln.serverLog()).not.toContain(wrong);
    } finally {
      await kiln.api('PATCH', `/git-providers/${provider.id}`, { token: gitToken });
    }
  }, 150_000);

  it('says to run Detect Services when a monorepo without a root Dockerfile is built as one image', async () => {
    await connectPlainServer();
    const { world, kiln } = env;
    const app = (name: string) => JSON.stringify({ name, scripts: { start: 'node index.js' } });
    await world.git.createRepository('plain-mono', {
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*'] }),
      'apps/web/package.json': app('web'),
      'apps/web/Dockerfile': `FROM ${world.busybox}\n`,
      'apps/api/package.json': app('api'),
      'apps/api/Dockerfile': `FROM ${world.busybox}\n`,
    });
    // Auto CI saved with no sub-project selected: the root is built, and it has no Dockerfile.
    const service = await registerService(kiln, world, 'plain-mono', { enabled: false });
    const build = await manualBuild(service.id);
    expect(build.status).toBe('Failed');
    expect(build.errorType).toBe('DockerfileNotFound');
    expect(build.error).toMatch(/^Dockerfile not found: Dockerfile does not exist in /);
    expect(build.error).toContain(
      'This repository is a monorepo (sub-projects apps/api, apps/web): run Detect Services in Auto CI and select the sub-projects to build, each from its own Dockerfile.',
    );
    const log = await buildLog(kiln, build.id);
    expect(log.at(-1)).toContain('run Detect Services');
  }, 150_000);
});
