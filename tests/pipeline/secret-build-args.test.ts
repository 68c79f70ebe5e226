import { createHash } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { fileInImage, readRegistryImage } from '../support/registry-image';
import { gitlabHeaders, gitlabMergeRequest } from '../support/webhook-payloads';
import { buildLog, pushWebhook, registerService, registryPassword, useKilnWorld } from './setup';

const env = useKilnWorld();
const secretValue = 'e2e-SECRET-BUILD-ARG-5c9a1f';

// The secret step reports whether it got the file (and keeps what it saw in /token.sha).
const dockerfile = (busybox: string) =>
  [
    `FROM ${busybox}`,
    'ARG GREETING=none',
    'RUN echo "greeting=$GREETING" > /greeting.txt',
    'COPY variant.txt /variant.txt',
    'RUN --mount=type=secret,id=TOKEN if [ -f /run/secrets/TOKEN ]; then sha256sum /run/secrets/TOKEN | cut -d" " -f1 > /token.sha; echo "token is $(cat /run/secrets/TOKEN)"; else echo "no TOKEN secret" | tee /token.sha; fi',
    '',
  ].join('\n');

describe('a secret build arg through the whole of Kiln', () => {
  it('reaches the build step, yet no API response, log, server log, image or database column holds it', async () => {
    const { sha } = await env.world.git.createRepository('secret-e2e', {
      Dockerfile: dockerfile(env.world.busybox),
      'variant.txt': 'push\n',
    });
    const service = await registerService(env.kiln, env.world, 'secret-e2e', {
      buildArgs: { GREETING: 'hello-plain' },
      secretBuildArgs: { TOKEN: secretValue },
    });
    const settings = await env.kiln.api('GET', `/services/${service.id}/auto-ci`);
    expect(settings.body.secretBuildArgNames).toEqual(['TOKEN']);

    const buildId = await pushWebhook(env.kiln, service, sha);
    const build = await env.kiln.waitForBuild(buildId);
    expect(build.status, build.error).toBe('Succeeded');
    const log = await buildLog(env.kiln, buildId);
    expect(log).toContain('token is [REDACTED]');

    const image = await readRegistryImage(
      env.world.registry.host,
      { username: 'kiln', password: registryPassword },
      'team/secret-e2e',
      sha,
    );
    expect(fileInImage(image, 'token.sha')?.trim()).toBe(createHash('sha256').update(secretValue).digest('hex'));
    expect(fileInImage(image, 'greeting.txt')).toBe('greeting=hello-plain\n');
    expect(image.manifest + image.config).not.toContain(secretValue);
    for (const layer of image.layers) expect(layer.includes(secretValue)).toBe(false);

    const responses = await Promise.all(
      [
        `/services/${service.id}/auto-ci`,
        `/builds/${buildId}`,
        `/builds/${buildId}/logs?pageSize=1000`,
        `/builds?serviceId=${service.id}`,
        `/services/${service.id}`,
      ].map((route) => env.kiln.api('GET', route)),
    );
    for (const response of responses) expect(JSON.stringify(response.body)).not.toContain(secretValue);
    expect(env.kiln.serverLog()).not.toContain(secretValue);

    const sql = postgres(env.kiln.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql`select row_to_json(a)::text as text from auto_ci_settings a`;
      expect(rows.map((r) => r.text as string).join('\n')).not.toContain(secretValue);
      const lines = await sql`select text from build_log_lines where text like ${`%${secretValue}%`}`;
      expect(lines).toHaveLength(0);
    } finally {
      await sql.end();
    }
  });

  it('is withheld from a merge-request build, which shares no layer cache with trusted builds either way', async () => {
    const { sha } = await env.world.git.createRepository('secret-mr', {
      Dockerfile: dockerfile(env.world.busybox),
      'variant.txt': 'same commit\n',
    });
    const service = await registerService(env.kiln, env.world, 'secret-mr', {
      secretBuildArgs: { TOKEN: secretValue },
    });
    // The merge request builds the very commit main will build: a shared cache would hand layers across.
    const payload = gitlabMergeRequest(service.project, { action: 'open', sha, iid: 7 });
    const delivered = await env.kiln.deliver('gitlab', JSON.stringify(payload), {
      ...gitlabHeaders('Merge Request Hook', service.secret),
    });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    const mrBuildId = delivered.body.builds?.[0]?.buildId;
    expect(mrBuildId, JSON.stringify(delivered.body)).toBeTruthy();
    const mrBuild = await env.kiln.waitForBuild(mrBuildId);
    expect(mrBuild.status, mrBuild.error).toBe('Succeeded');
    const mrLog = (await buildLog(env.kiln, mrBuildId)).join('\n');
    expect(mrLog).toContain('Secret build args TOKEN are not given to merge or pull request builds');
    expect(mrLog).toContain('no TOKEN secret');
    expect(mrLog).not.toContain('token is [REDACTED]');

    // The trusted build after it runs the secret step itself instead of reusing the merge request's layer...
    const pushBuildId = await pushWebhook(env.kiln, service, sha);
    const pushBuild = await env.kiln.waitForBuild(pushBuildId);
    expect(pushBuild.status, pushBuild.error).toBe('Succeeded');
    expect((await buildLog(env.kiln, pushBuildId)).join('\n')).toContain('token is [REDACTED]');

    // ...and a merge-request build after that does not reuse the layer built with the secret.
    const again = gitlabMergeRequest(service.project, { action: 'update', oldrev: sha, sha, iid: 7 });
    const second = await env.kiln.deliver('gitlab', JSON.stringify(again), {
      ...gitlabHeaders('Merge Request Hook', service.secret),
    });
    const secondId = second.body.builds?.[0]?.buildId;
    expect(secondId, JSON.stringify(second.body)).toBeTruthy();
    expect((await env.kiln.waitForBuild(secondId)).status).toBe('Succeeded');
    const secondLog = (await buildLog(env.kiln, secondId)).join('\n');
    expect(secondLog).toContain('no TOKEN secret');
    expect(secondLog).not.toContain('Using cache');
  });
});
