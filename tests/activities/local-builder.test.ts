import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext, BuildRequest } from '../../builders/builder';
import { buildahStorageArgs, organizationStore } from '../../builders/buildah';
import { createLocalBuilder } from '../../builders/local';
import { manifestMediaTypes } from '../../clients/registry';
import { buildToolsAvailable, ensureBusyboxImage } from '../support/busybox-image';
import { startGitServer, type GitServer } from '../support/git-server';
import { startRegistry, type TestRegistry } from '../support/registry';
import { rejectionOf } from './failure';
import { buildProfileResources } from '../../domain/build-profile';
import type { LogStream } from '../../domain/log-stream';

const exec = promisify(execFile);
const registryPassword = 'reg-PASSWORD-5b2e91';
const gitToken = 'glpat-GITTOKEN-77aa31';
const sha = 'c0ffee0000000000000000000000000000000001';

let registry: TestRegistry;
let git: GitServer;
let root: string;
let storageRoot: string;
let base: string;

beforeAll(async () => {
  if (!(await buildToolsAvailable())) {
    throw new Error('buildah, docker-registry, htpasswd (apache2-utils) and busybox-static must be installed');
  }
  root = await mkdtemp(path.join(tmpdir(), 'kiln-local-builder-'));
  storageRoot = path.join(root, 'storage');
  registry = await startRegistry({ username: 'kiln', password: registryPassword });
  git = await startGitServer({ username: 'oauth2', password: gitToken });
  base = await ensureBusyboxImage({ storageRoot, registry: registry.auth });
});

afterAll(async () => {
  await registry?.stop();
  await git?.stop();
  await rm(root, { recursive: true, force: true });
});

/** A build context that records every log line (with its stream), heartbeats and phases. */
function capture(signal = new AbortController().signal) {
  const lines: Array<{ stream: LogStream; line: string }> = [];
  const phases: string[] = [];
  let heartbeats = 0;
  const ctx: BuildContext = {
    log: { write: (stream, line) => void lines.push({ stream, line }), flush: async () => {} },
    signal,
    heartbeat: () => void (heartbeats += 1),
    phase: (phase) => void phases.push(phase),
  };
  return { ctx, lines, phases, text: () => lines.map((l) => l.line).join('\n'), heartbeats: () => heartbeats };
}

/** Writes `files` to a fresh checkout folder. */
async function checkout(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'src-'));
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

function request(checkoutDir: string | undefined, name: string, overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    buildId: `b-${name}`,
    source: { repositoryUrl: 'http://git.example/team/app.git', sha, ref: 'refs/heads/main', checkoutDir },
    contextPath: '.',
    dockerfilePath: 'Dockerfile',
    buildArgs: {},
    images: [`${registry.host}/team/${name}:${sha}`, `${registry.host}/team/${name}:main`],
    registry: registry.auth,
    resources: { profile: 'small', ...buildProfileResources.small },
    ...overrides,
  };
}

/** The digest as computed from the manifest bytes the registry serves (independent of the code under test). */
async function registryDigest(repository: string, tag: string): Promise<string> {
  const response = await fetch(`http://${registry.host}/v2/${repository}/manifests/${tag}`, {
    headers: {
      Accept: manifestMediaTypes.join(', '),
      Authorization: `Basic ${Buffer.from(`kiln:${registryPassword}`).toString('base64')}`,
    },
  });
  expect(response.status).toBe(200);
  return `sha256:${createHash('sha256')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex')}`;
}

/** Command lines of every process on the machine that mention one of `secrets` (argv is world-readable). */
async function processesMentioning(...secrets: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (secrets.some((secret) => cmdline.includes(secret))) found.push(cmdline.replace(/\0/g, ' '));
  }
  return found;
}

/** Samples every process's argv until stopped, collecting any that contain one of `secrets`. */
function watchArgv(secrets: string[]) {
  const leaks: string[] = [];
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      leaks.push(...(await processesMentioning(...secrets)));
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { leaks, samples };
    },
  };
}

describe('local builder (buildah)', () => {
  it('builds FROM scratch, pushes every tag and returns the digest the registry serves', async () => {
    const dir = await checkout({ Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\n', 'hello.txt': 'hello\n' });
    const run = capture();
    const output = await createLocalBuilder({ storageRoot }).build(request(dir, 'scratch'), run.ctx);
    expect(output.digest).toBe(await registryDigest('team/scratch', sha));
    expect(await registryDigest('team/scratch', 'main')).toBe(output.digest);
    const text = run.text();
    expect(text.indexOf('STEP 1/2: FROM scratch')).toBeLessThan(text.indexOf('STEP 2/2: COPY hello.txt /hello.txt'));
    expect(run.lines.some((l) => l.stream === 'stderr')).toBe(true);
    expect(run.phases).toEqual(['push']);
  });

  it('clones, runs RUN steps on the busybox base with build args, reuses layers, and never exposes secrets', async () => {
    const repo = await git.createRepository('busy', {
      Dockerfile: `FROM ${base}\nARG GREETING=none\nRUN sleep 2 && echo "greeting=$GREETING"\nRUN echo second-layer >&2\n`,
    });
    const build = () => {
      const run = capture();
      const source = { repositoryUrl: repo.url, sha: repo.sha, ref: 'refs/heads/main', token: gitToken };
      const req = request(undefined, 'busy', { source, buildArgs: { GREETING: 'hello-kiln' } });
      const watcher = watchArgv([gitToken, registryPassword, 'hello-kiln']);
      const started = Date.now();
      return createLocalBuilder({ storageRoot })
        .build(req, run.ctx)
        .then(async (output) => ({ output, run, ms: Date.now() - started, ...(await watcher.stop()) }));
    };
    const first = await build();
    const second = await build();
    expect(first.run.text()).toContain('greeting=hello-kiln');
    expect(first.run.heartbeats()).toBeGreaterThan(0);
    expect(first.run.lines).toContainEqual({ stream: 'stderr', line: 'second-layer' });
    expect(second.run.text()).toContain('Using cache');
    expect(second.ms).toBeLessThan(first.ms);
    expect(second.output.digest).toBe(await registryDigest('team/busy', sha));
    for (const { run, leaks, samples } of [first, second]) {
      expect(samples).toBeGreaterThan(1);
      expect(leaks).toEqual([]);
      expect(run.text()).not.toContain(gitToken);
      expect(run.text()).not.toContain(registryPassword);
      expect(run.text()).toContain('--build-arg GREETING ');
    }
  });

  it('fails with "Dockerfile not found" when the Dockerfile is missing', async () => {
    const dir = await checkout({ 'README.md': 'no dockerfile' });
    const error = await rejectionOf(
      createLocalBuilder({ storageRoot }).build(
        request(dir, 'missing', { dockerfilePath: 'docker/Dockerfile' }),
        capture().ctx,
      ),
    );
    expect(error.type).toBe('DockerfileNotFound');
    expect(error.message).toBe(
      'Dockerfile not found: docker/Dockerfile does not exist in git.example/team/app@c0ffee000000. Add one or set the Dockerfile path in Auto CI settings.',
    );
  });

  it('refuses a Dockerfile that symlinks outside the checkout', async () => {
    const dir = await checkout({ 'README.md': 'x' });
    await symlink('/etc/hostname', path.join(dir, 'Dockerfile'));
    const error = await rejectionOf(createLocalBuilder({ storageRoot }).build(request(dir, 'symlink'), capture().ctx));
    expect(error.type).toBe('DockerfileNotFound');
  });

  it('fails with "Registry authentication failed" on a wrong password, without the password', async () => {
    const dir = await checkout({ Dockerfile: 'FROM scratch\nCOPY a /a\n', a: 'a' });
    const wrong = { ...registry.auth, password: 'wrong-PASSWORD-0c1d' };
    const run = capture();
    const error = await rejectionOf(
      createLocalBuilder({ storageRoot }).build(request(dir, 'denied', { registry: wrong }), run.ctx),
    );
    expect(error.type).toBe('RegistryAuthFailed');
    expect(error.message).toMatch(/^Registry authentication failed: .* Re-check the registry username\/password\.$/);
    expect(error.message + run.text()).not.toContain('wrong-PASSWORD-0c1d');
  });

  it('stops a build that exceeds the profile limit with "Build timeout"', async () => {
    const dir = await checkout({ Dockerfile: `FROM ${base}\nRUN while true; do echo tick; sleep 0.2; done\n` });
    const resources = { profile: 'small' as const, ...buildProfileResources.small, timeoutSeconds: 3 };
    const started = Date.now();
    const error = await rejectionOf(
      createLocalBuilder({ storageRoot }).build(request(dir, 'slow', { resources }), capture().ctx),
    );
    expect(error.type).toBe('BuildTimeout');
    expect(error.message).toBe(
      "Build timeout: the build exceeded the worker's build time limit of 3 s (KILN_MAX_BUILD_SECONDS), shorter than the small profile's. Optimise the Dockerfile or ask the operator to raise the limit.",
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops a build that prints nothing for the idle limit', async () => {
    const dir = await checkout({ Dockerfile: `FROM ${base}\nRUN sleep 30.5\n` });
    const error = await rejectionOf(
      createLocalBuilder({ storageRoot, idleTimeoutMs: 2000 }).build(request(dir, 'idle'), capture().ctx),
    );
    expect(error.type).toBe('BuildNoOutput');
    expect(error.message).toMatch(/^Build stalled: the builder printed nothing for 2 s/);
  });

  it('stops the builder and its RUN step within 5 s of a cancel', async () => {
    const dir = await checkout({ Dockerfile: `FROM ${base}\nRUN echo started && sleep 47.25 && echo finished\n` });
    const controller = new AbortController();
    const run = capture(controller.signal);
    const write = run.ctx.log.write;
    let cancelledAt = 0;
    let sleepingBeforeCancel: string[] = [];
    run.ctx.log.write = (stream, line) => {
      write(stream, line);
      if (line !== 'started') return;
      setTimeout(async () => {
        sleepingBeforeCancel = await processesMentioning('sleep 47.25');
        cancelledAt = Date.now();
        controller.abort(new Error('cancelled by user'));
      }, 300);
    };
    const error = await rejectionOf(createLocalBuilder({ storageRoot }).build(request(dir, 'cancel'), run.ctx));
    expect(error.message).toBe('cancelled by user');
    expect(sleepingBeforeCancel.length).toBeGreaterThan(0);
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
    expect(await processesMentioning('sleep 47.25')).toEqual([]);
    const containers = await exec('buildah', [
      ...buildahStorageArgs(organizationStore(storageRoot, undefined)),
      'containers',
      '--quiet',
    ]);
    expect(containers.stdout.trim()).toBe('');
  });
});
