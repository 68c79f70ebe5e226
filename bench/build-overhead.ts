// Build overhead: what the local driver and the clone activity add over running buildah and git by hand for
// the same work (an incremental image build + push of two tags; a shallow clone of one commit). Both sides run
// in this process against the same real registry and git server, interleaved, and the table shows medians
// and the Kiln/baseline ratio measured in this run.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildahStorageArgs, organizationStore, writeAuthFile } from '../builders/buildah';
import { ociIsolationArgs } from '../builders/isolation';
import { createLocalBuilder } from '../builders/local';
import { createCloneActivities } from '../activities/clone';
import { ensureBusyboxImage } from '../tests/support/busybox-image';
import { startGitServer } from '../tests/support/git-server';
import { startRegistry } from '../tests/support/registry';
import { buildProfileResources } from '../domain/build-profile';

const exec = promisify(execFile);
const rounds = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Runs the build-overhead bench and prints its table. */
export async function benchBuildOverhead(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'kiln-bench-build-'));
  const registry = await startRegistry({ username: 'bench', password: 'bench-password' });
  const git = await startGitServer({ username: 'oauth2', password: 'bench-token' });
  try {
    const storageRoot = path.join(root, 'storage');
    const base = await ensureBusyboxImage({ storageRoot, registry: registry.auth });
    const context = path.join(root, 'context');
    await exec('mkdir', ['-p', context]);
    await writeFile(path.join(context, 'Dockerfile'), `FROM ${base}\nRUN echo deps > /deps\nCOPY app.txt /app.txt\n`);
    const builder = createLocalBuilder({ storageRoot });
    const auth = await writeAuthFile(registry.auth);
    const build = { kiln: [] as number[], buildah: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? (['kiln', 'buildah'] as const) : (['buildah', 'kiln'] as const)) {
        await writeFile(path.join(context, 'app.txt'), `${side} ${round} ${Date.now()}\n`);
        const images = [`${registry.host}/bench/${side}:r${round}`, `${registry.host}/bench/${side}:main`];
        build[side].push(
          await timed(() =>
            side === 'kiln'
              ? builder.build(buildRequest(context, images, registry.auth, round), silentContext())
              : plainBuildah(storageRoot, context, images, auth.path),
          ),
        );
      }
    }
    await auth.dispose();

    const repo = await git.createRepository('bench', { Dockerfile: 'FROM scratch\n', 'data.txt': 'x'.repeat(100_000) });
    const clone = createCloneActivities({ workspaceRoot: path.join(root, 'ws') });
    const cloneTimes = { kiln: [] as number[], git: [] as number[] };
    const authedUrl = repo.url.replace('http://', 'http://oauth2:bench-token@');
    for (let round = 0; round < rounds; round++) {
      cloneTimes.kiln.push(
        await timed(() =>
          clone.cloneRepository({
            buildId: `c${round}`,
            repositoryUrl: repo.url,
            sha: repo.sha,
            ref: 'main',
            token: 'bench-token',
          }),
        ),
      );
      cloneTimes.git.push(
        await timed(() => exec('git', ['clone', '--quiet', '--depth', '1', authedUrl, path.join(root, `g${round}`)])),
      );
    }

    console.log(`\nBuild overhead (median of ${rounds}, interleaved; ratio = Kiln / baseline)`);
    console.table([
      row(
        'incremental build + push of 2 tags',
        median(build.kiln),
        'buildah bud + push by hand',
        median(build.buildah),
      ),
      row('shallow clone of one commit', median(cloneTimes.kiln), 'git clone --depth 1', median(cloneTimes.git)),
    ]);
  } finally {
    await git.stop();
    await registry.stop();
    await rm(root, { recursive: true, force: true });
  }
}

function row(what: string, kilnMs: number, baseline: string, baselineMs: number) {
  return {
    what,
    'kiln ms': Math.round(kilnMs),
    baseline,
    'baseline ms': Math.round(baselineMs),
    ratio: Number((kilnMs / baselineMs).toFixed(2)),
  };
}

async function plainBuildah(storageRoot: string, context: string, images: string[], authfile: string) {
  // The store and build network Kiln's builder uses (its first build wrote the network's CNI config).
  const storage = buildahStorageArgs(organizationStore(storageRoot, undefined));
  const tags = images.flatMap((image) => ['--tag', image]);
  await exec('buildah', [
    ...storage,
    'bud',
    ...ociIsolationArgs('runc', path.join(storageRoot, 'cni')),
    '--layers',
    '--authfile',
    authfile,
    '--tls-verify=false',
    ...tags,
    context,
  ]);
  for (const image of images) {
    await exec('buildah', [
      ...storage,
      'push',
      '--authfile',
      authfile,
      '--tls-verify=false',
      image,
      `docker://${image}`,
    ]);
  }
}

function buildRequest(context: string, images: string[], registry: Parameters<typeof writeAuthFile>[0], round: number) {
  return {
    buildId: `bench-${round}`,
    source: { repositoryUrl: 'http://bench.invalid/app.git', sha: 'f'.repeat(40), ref: 'main', checkoutDir: context },
    contextPath: '.',
    dockerfilePath: 'Dockerfile',
    buildArgs: {},
    images,
    registry,
    resources: { profile: 'small' as const, ...buildProfileResources.small },
  };
}

function silentContext() {
  return {
    log: { write: () => {}, flush: async () => {} },
    signal: new AbortController().signal,
    heartbeat: () => {},
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchBuildOverhead();
}
