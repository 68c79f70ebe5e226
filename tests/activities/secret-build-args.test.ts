import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext, BuildRequest } from '../../builders/builder';
import { createLocalBuilder } from '../../builders/local';
import { buildToolsAvailable, ensureBusyboxImage } from '../support/busybox-image';
import { fileInImage, readRegistryImage } from '../support/registry-image';
import { startRegistry, type TestRegistry } from '../support/registry';
import { rejectionOf } from './failure';
import { buildProfileResources } from '../../domain/build-profile';

const exec = promisify(execFile);
const registryPassword = 'reg-PASSWORD-secret-args-1';
const secretValue = 'tok-SECRET-BUILD-ARG-9f3e1c';
const sha = 'c0ffee0000000000000000000000000000000005';

let registry: TestRegistry;
let root: string;
let storageRoot: string;
let base: string;

beforeAll(async () => {
  if (!(await buildToolsAvailable())) {
    throw new Error('buildah, docker-registry, htpasswd (apache2-utils) and busybox-static must be installed');
  }
  root = await mkdtemp(path.join(tmpdir(), 'kiln-secret-args-'));
  storageRoot = path.join(root, 'storage');
  registry = await startRegistry({ username: 'kiln', password: registryPassword });
  base = await ensureBusyboxImage({ storageRoot, registry: registry.auth });
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await rm(root, { recursive: true, force: true });
});

function capture(): { ctx: BuildContext; text: () => string } {
  const lines: string[] = [];
  const ctx: BuildContext = {
    log: { write: (_stream, line) => void lines.push(line), flush: async () => {} },
    signal: new AbortController().signal,
    heartbeat: () => {},
  };
  return { ctx, text: () => lines.join('\n') };
}

async function checkout(dockerfile: string): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'src-'));
  await writeFile(path.join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

function request(checkoutDir: string, name: string, overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    buildId: `b-${name}`,
    source: { repositoryUrl: 'http://git.example/team/app.git', sha, ref: 'refs/heads/main', checkoutDir },
    contextPath: '.',
    dockerfilePath: 'Dockerfile',
    buildArgs: {},
    images: [`${registry.host}/team/${name}:${sha}`],
    registry: registry.auth,
    resources: { profile: 'small', ...buildProfileResources.small },
    ...overrides,
  };
}

/** Every process's argv and environment that holds `value` while `during` runs (sampled every 50 ms). */
async function processesHolding<T>(value: string, during: Promise<T>): Promise<{ result: T; leaks: string[] }> {
  const leaks = new Set<string>();
  let done = false;
  const sampling = (async () => {
    while (!done) {
      for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
        for (const file of ['cmdline', 'environ']) {
          const text = await readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => '');
          if (text.includes(value)) leaks.add(`${pid}/${file}: ${text.replace(/\0/g, ' ').slice(0, 200)}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    return { result: await during, leaks: [...leaks] };
  } finally {
    done = true;
    await sampling;
  }
}

describe('secret build args on the local builder (buildah)', () => {
  it('reach RUN --mount=type=secret and nothing else: not the log, argv, env, image config, history or layers', async () => {
    const dir = await checkout(
      [
        `FROM ${base}`,
        'ARG GREETING=none',
        'RUN echo "greeting=$GREETING" > /greeting.txt',
        // Printing the secret on purpose: the log must show it redacted.
        'RUN --mount=type=secret,id=TOKEN sha256sum /run/secrets/TOKEN | cut -d" " -f1 > /token.sha && echo "token is $(cat /run/secrets/TOKEN)"',
        'RUN test ! -e /run/secrets/TOKEN && echo "no secret outside its RUN"',
        '',
      ].join('\n'),
    );
    const run = capture();
    const req = request(dir, 'secret-args', {
      buildArgs: { GREETING: 'hello-plain' },
      secretBuildArgs: { TOKEN: secretValue },
    });
    const { leaks } = await processesHolding(secretValue, createLocalBuilder({ storageRoot }).build(req, run.ctx));

    const log = run.text();
    expect(log).toContain('token is [REDACTED]');
    expect(log).toContain('no secret outside its RUN');
    expect(log).toContain('--secret id=TOKEN,src=');
    expect(log).not.toContain(secretValue);
    expect(leaks).toEqual([]);

    const image = await readRegistryImage(registry.host, registry.auth, 'team/secret-args', sha);
    // The step saw the value: the image holds its hash, computed inside the build.
    expect(fileInImage(image, 'token.sha')?.trim()).toBe(createHash('sha256').update(secretValue).digest('hex'));
    // A plain build arg still works as an ARG.
    expect(fileInImage(image, 'greeting.txt')).toBe('greeting=hello-plain\n');
    expect(image.config).toContain('--mount=type=secret,id=TOKEN');
    expect(image.manifest + image.config).not.toContain(secretValue);
    for (const layer of image.layers) expect(layer.includes(secretValue)).toBe(false);

    // The per-build secret file is gone and buildah kept no copy in its store.
    expect(await readdir(path.join(storageRoot, 'tmp'))).toEqual([]);
    const grep = await exec('grep', ['-rlF', secretValue, storageRoot]).catch((error: { code?: number }) => error);
    expect((grep as { code?: number }).code).toBe(1);
  });

  it('refuses a name that is both a plain and a secret build arg before building', async () => {
    const dir = await checkout(`FROM ${base}\nRUN echo hi\n`);
    const req = request(dir, 'both', { buildArgs: { TOKEN: 'plain' }, secretBuildArgs: { TOKEN: secretValue } });
    const error = await rejectionOf(createLocalBuilder({ storageRoot }).build(req, capture().ctx));
    expect(error.type).toBe('ConfigurationError');
    expect(error.message).toContain('TOKEN is both a plain and a secret build arg');
    expect(error.message).not.toContain(secretValue);
  });
});
