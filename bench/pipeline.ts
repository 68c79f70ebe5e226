// Kiln's end-to-end overhead: a webhook push until the image is pushed, against the same clone + buildah build +
// push run by hand; and a 4-sub-project monorepo's wall time against the sum of its children's build times.
// Everything runs here against the same real git server and registry; rounds are interleaved.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildahStorageArgs, writeAuthFile } from '../builders/buildah';
import { writeBuildNetworkConfig } from '../builders/build-network';
import { ociIsolationArgs } from '../builders/isolation';
import { registerService, pushWebhook, startPipelineWorld } from '../tests/pipeline/setup';
import { startTestKiln } from '../tests/support/kiln';
import type { TestKiln } from '../tests/support/kiln';

const exec = promisify(execFile);
const rounds = 3;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** A Dockerfile whose build takes about ten seconds, dominated by the RUN step as real builds are. */
const tenSecondBuild = (base: string) => `FROM ${base}\nCOPY stamp.txt /stamp.txt\nRUN sleep 9 && cat /stamp.txt\n`;

/** Runs the pipeline bench and prints its table. */
export async function benchPipeline(): Promise<void> {
  const world = await startPipelineWorld();
  const kiln = await startTestKiln({ LOG_LEVEL: 'error', KILN_MAX_CONCURRENT_BUILDS: '4' });
  const scratch = await mkdtemp(path.join(tmpdir(), 'kiln-bench-pipeline-'));
  try {
    const { sha } = await world.git.createRepository('bench', {
      Dockerfile: tenSecondBuild(world.busybox),
      'stamp.txt': '0',
    });
    const service = await registerService(kiln, world, 'bench');
    const kilnTimes: number[] = [];
    const handTimes: number[] = [];
    let head = sha;
    for (let round = 0; round < rounds; round++) {
      head = await world.git.commit('bench', { 'stamp.txt': `kiln ${round} ${Date.now()}` }, `kiln round ${round}`);
      const started = performance.now();
      const buildId = await pushWebhook(kiln, service, head);
      const build = await kiln.waitForBuild(buildId, ['Succeeded', 'Failed', 'Cancelled'], 300_000);
      if (build.status !== 'Succeeded') throw new Error(`bench build failed: ${build.error}`);
      kilnTimes.push(performance.now() - started);
      const stamp = `hand ${round} ${Date.now()}`;
      handTimes.push(await byHand(world, scratch, round, stamp));
    }

    const mono = await monorepoRun(kiln, world);
    console.log(`\nPipeline (median of ${rounds}, interleaved)`);
    console.table([
      {
        what: 'webhook → image pushed (~10 s build)',
        'kiln ms': Math.round(median(kilnTimes)),
        baseline: 'git clone + buildah bud + push by hand',
        'baseline ms': Math.round(median(handTimes)),
        ratio: Number((median(kilnTimes) / median(handTimes)).toFixed(2)),
      },
      {
        what: '4-sub-project monorepo wall time',
        'kiln ms': Math.round(mono.wallMs),
        baseline: 'sum of the 4 children’s build times',
        'baseline ms': Math.round(mono.sumMs),
        ratio: Number((mono.wallMs / mono.sumMs).toFixed(2)),
      },
    ]);
  } finally {
    await kiln.stop();
    await world.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The same work Kiln does for a push, by hand: shallow clone, build, push both tags (fresh layer for the stamp). */
async function byHand(
  world: Awaited<ReturnType<typeof startPipelineWorld>>,
  scratch: string,
  round: number,
  stamp: string,
) {
  const head = await world.git.commit('bench', { 'stamp.txt': stamp }, `hand round ${round}`);
  const storage = buildahStorageArgs(path.join(scratch, 'storage'));
  const auth = await writeAuthFile(world.registry.auth);
  const dir = path.join(scratch, `clone-${round}`);
  const url = `${world.git.baseUrl}/bench.git`.replace('http://', 'http://oauth2:glpat-kiln-e2e-secret-token@');
  const images = [`${world.registry.host}/team/hand:${head}`, `${world.registry.host}/team/hand:main`];
  const started = performance.now();
  try {
    await exec('git', ['clone', '--quiet', '--depth', '1', url, dir]);
    const tags = images.flatMap((image) => ['--tag', image]);
    const tls = ['--tls-verify=false', '--authfile', auth.path];
    const cni = path.join(scratch, 'cni');
    await writeBuildNetworkConfig(cni);
    await exec('buildah', [...storage, 'bud', ...ociIsolationArgs('runc', cni), '--layers', ...tls, ...tags, dir]);
    for (const image of images) await exec('buildah', [...storage, 'push', ...tls, image, `docker://${image}`]);
    return performance.now() - started;
  } finally {
    await auth.dispose();
  }
}

/** One push to a 4-sub-project monorepo; compares the parent's wall time with its children's summed durations. */
async function monorepoRun(kiln: TestKiln, world: Awaited<ReturnType<typeof startPipelineWorld>>) {
  const names = ['api', 'web', 'worker', 'admin'];
  const files = Object.fromEntries(
    names.map((name) => [`${name}/Dockerfile`, `FROM ${world.busybox}\nRUN sleep 4 && echo ${name}\n`]),
  );
  const { sha } = await world.git.createRepository('mono', files);
  const subprojects = names.map((name) => ({ name, path: name, dockerfilePath: `${name}/Dockerfile` }));
  const service = await registerService(kiln, world, 'mono', { subprojects, imagePrefix: 'mono-' });
  const buildId = await pushWebhook(kiln, service, sha);
  const parent = await kiln.waitForBuild(buildId, ['Succeeded', 'Failed', 'Cancelled'], 300_000);
  if (parent.status !== 'Succeeded') throw new Error(`bench monorepo build failed: ${parent.error}`);
  const detail = await kiln.api('GET', `/builds/${buildId}`);
  const children: { durationMs: number }[] = detail.body.children;
  return { wallMs: parent.durationMs as number, sumMs: children.reduce((sum, child) => sum + child.durationMs, 0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchPipeline();
}
