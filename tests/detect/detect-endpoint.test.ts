import { describe, expect, it } from 'vitest';
import { gitToken, registerService, useKilnWorld } from '../pipeline/setup';

const env = useKilnWorld();

describe('POST /services/:id/detect', () => {
  it('shows a monorepo with its sub-projects, their Dockerfiles and what each is', async () => {
    const { sha } = await env.world.git.createRepository('shop', {
      'package.json': JSON.stringify({ name: 'shop', private: true, workspaces: ['apps/*'] }),
      'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '15.0.0', react: '19.0.0' } }),
      'apps/web/tsconfig.json': '{}',
      'apps/web/Dockerfile': 'FROM scratch\n',
      'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4' } }),
      'apps/api/Dockerfile': 'FROM scratch\n',
      'worker/go.mod': 'module example.com/worker\n\ngo 1.22\n',
      'worker/Dockerfile': 'FROM scratch\n',
    });
    const service = await registerService(env.kiln, env.world, 'shop');

    const { status, body } = await env.kiln.api('POST', `/services/${service.id}/detect`, {});

    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({
      sha,
      ref: 'refs/heads/main',
      buildType: 'mono',
      typescript: true,
      packageManager: 'npm',
    });
    const byPath = Object.fromEntries(body.subprojects.map((s: { path: string }) => [s.path, s]));
    expect(byPath['apps/web']).toMatchObject({
      name: 'web',
      dockerfilePath: 'apps/web/Dockerfile',
      framework: 'Next.js',
    });
    expect(byPath['apps/api']).toMatchObject({
      name: 'api',
      dockerfilePath: 'apps/api/Dockerfile',
      framework: 'Express',
    });
    expect(byPath['worker']).toMatchObject({ dockerfilePath: 'worker/Dockerfile', language: 'Go' });
  });

  it('answers 422 with "Git clone failed" and never the token when the repository cannot be read', async () => {
    await env.world.git.createRepository('private', { Dockerfile: 'FROM scratch\n' });
    const service = await registerService(env.kiln, env.world, 'private');
    const provider = (await env.kiln.api('GET', '/git-providers')).body.items[0];
    await env.kiln.api('PATCH', `/git-providers/${provider.id}`, { token: 'glpat-wrong-token-value', verify: false });
    try {
      const { status, body } = await env.kiln.api('POST', `/services/${service.id}/detect`, {});
      expect(status).toBe(422);
      expect(body.message).toMatch(/^Git clone failed: .*read_repository/);
      expect(JSON.stringify(body)).not.toContain('glpat-wrong-token-value');
      expect(JSON.stringify(body)).not.toContain(gitToken);
    } finally {
      await env.kiln.api('PATCH', `/git-providers/${provider.id}`, { token: gitToken, verify: false });
    }
  });
});

describe('POST /services/:id/dockerfile', () => {
  it('clones the default branch head on a worker and proposes a Dockerfile for what it found', async () => {
    const { sha } = await env.world.git.createRepository('bare-node', {
      'package.json': JSON.stringify({ name: 'bare-node', scripts: { start: 'node server.js' } }),
      'package-lock.json': JSON.stringify({ name: 'bare-node', lockfileVersion: 3, packages: {} }),
      'server.js': 'require("http").createServer().listen(3000);\n',
    });
    const service = await registerService(env.kiln, env.world, 'bare-node');

    const { status, body } = await env.kiln.api('POST', `/services/${service.id}/dockerfile`, {});

    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ sha, ref: 'refs/heads/main' });
    expect(body.dockerfile).toContain('npm ci');
    expect(body.dockerignore).toContain('node_modules');
    // The scratch checkout is gone once the proposal is made.
    const { readdir } = await import('node:fs/promises');
    const workspaces = await readdir(`${env.kiln.dataDir}/workspaces`);
    expect(workspaces.filter((name) => name.startsWith('wizard-'))).toEqual([]);
  });
});
