import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiln } from '../support/kiln';
import type { TestKiln } from '../support/kiln';
import {
  buildLog,
  eventually,
  processesMatching,
  pushWebhook,
  registerService,
  registryDigest,
  startPipelineWorld,
  replayEveryBuild,
} from './setup';
import type { PipelineWorld, RegisteredService } from './setup';

let world: PipelineWorld;
let kiln: TestKiln;
let service: RegisteredService;
let firstSha: string;

const selected = ['api', 'web', 'worker'];
// FROM scratch + COPY: no base image and no RUN, so each image builds in a second or two.
const subproject = (name: string, version = 1) => ({
  [`${name}/Dockerfile`]: `FROM scratch\nCOPY hello.txt /hello.txt\n`,
  [`${name}/hello.txt`]: `${name} v${version}\n`,
});
const files = {
  ...subproject('api'),
  ...subproject('web'),
  ...subproject('worker'),
  // Detected but not selected: never built.
  ...subproject('admin'),
  'README.md': '# mono\n',
};

interface BuildView {
  id: string;
  status: string;
  progress: number;
  currentStep: string;
  subproject: string | null;
  images: string[];
  digest: string | null;
  sha: string;
  error: string | null;
  startedAt: string;
  finishedAt: string;
  children: BuildView[];
}

beforeAll(async () => {
  world = await startPipelineWorld();
  // Three build slots, so the three sub-projects can really run side by side.
  kiln = await startTestKiln({ KILN_MAX_CONCURRENT_BUILDS: '3', KILN_MAX_PARALLEL_SUBPROJECTS: '3' });
  firstSha = (await world.git.createRepository('mono', files)).sha;
  service = await registerService(kiln, world, 'mono', {
    imagePrefix: 'mono-',
    subprojects: selected.map((name) => ({ name, path: name, dockerfilePath: `${name}/Dockerfile` })),
  });
}, 180_000);

afterAll(async () => {
  await kiln?.stop();
  await world?.stop();
});

/** Waits for the parent build to finish, sampling its progress (and its children's) on the way. */
async function followParent(buildId: string) {
  const samples: BuildView[] = [];
  const deadline = Date.now() + 90_000;
  for (;;) {
    const { body } = await kiln.api<BuildView>('GET', `/builds/${buildId}`);
    samples.push(body);
    if (['Succeeded', 'Failed', 'Cancelled'].includes(body.status)) return { build: body, samples };
    if (Date.now() > deadline) expect.fail(`parent build still ${body.status} after 90 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a monorepo with three selected sub-projects', () => {
  it('one push builds each selected sub-project in parallel to its own <prefix><name> image', async () => {
    // GitLab lists each commit's files; the first push touches every folder.
    const parentId = await pushWebhook(kiln, service, firstSha, { modified: Object.keys(files) });
    const { build: parent, samples } = await followParent(parentId);

    expect(parent.status, parent.error ?? '').toBe('Succeeded');
    expect(parent.progress).toBe(100);
    expect(parent.children.map((child) => child.subproject).sort()).toEqual(selected);
    for (const child of parent.children) {
      expect(child.status, child.error ?? '').toBe('Succeeded');
      expect(child.sha).toBe(firstSha);
      const repository = `team/mono-${child.subproject}`;
      expect(child.images[0]).toBe(`${world.registry.host}/${repository}:${firstSha}`);
      expect(child.digest).toBe(await registryDigest(world, repository, firstSha));
    }
    expect(await registryDigest(world, 'team/mono-admin', firstSha)).toBeNull();
    expect(await registryDigest(world, 'team/mono', firstSha)).toBeNull();

    // All three were running at one moment: the last to start started before the first to finish finished.
    const lastStart = Math.max(...parent.children.map((child) => Date.parse(child.startedAt)));
    const firstFinish = Math.min(...parent.children.map((child) => Date.parse(child.finishedAt)));
    expect(lastStart).toBeLessThan(firstFinish);

    // The parent's bar only moves forward, shows the children's progress while they build, and ends at 100.
    const percents = samples.map((sample) => sample.progress);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const whileChildrenRun = samples.filter(
      (s) => s.status === 'Building' && s.children.some((child) => child.status !== 'Succeeded'),
    );
    expect(whileChildrenRun.length).toBeGreaterThan(0);
    expect(whileChildrenRun.every((s) => s.progress < 100)).toBe(true);
    expect(whileChildrenRun.some((s) => s.currentStep === 'Build' && s.progress > 25)).toBe(true);

    const log = await buildLog(kiln, parentId);
    expect(log).toContain('Building 3 sub-projects: api, web, worker (3 at a time)');
    expect(log.at(-1)).toMatch(/^Build succeeded in/);
  }, 90_000);

  it('a push whose changed paths touch one sub-project builds only that one', async () => {
    const sha = await world.git.commit('mono', { ...files, ...subproject('web', 2) }, 'web: v2');
    const parentId = await pushWebhook(kiln, service, sha, { modified: ['web/hello.txt'] });
    const { build: parent } = await followParent(parentId);

    expect(parent.status, parent.error ?? '').toBe('Succeeded');
    expect(parent.children.map((child) => child.subproject)).toEqual(['web']);
    expect(await registryDigest(world, 'team/mono-web', sha)).toBe(parent.children[0]?.digest);
    expect(await registryDigest(world, 'team/mono-api', sha)).toBeNull();
  }, 60_000);

  it('with buildChangedOnly off, the same kind of push builds every selected sub-project', async () => {
    const saved = await kiln.api('PUT', `/services/${service.id}/auto-ci`, { buildChangedOnly: false });
    expect(saved.status).toBe(200);
    const sha = await world.git.commit('mono', { ...files, ...subproject('web', 3) }, 'web: v3');
    const parentId = await pushWebhook(kiln, service, sha, { modified: ['web/hello.txt'] });
    const { build: parent } = await followParent(parentId);

    expect(parent.status, parent.error ?? '').toBe('Succeeded');
    expect(parent.children.map((child) => child.subproject).sort()).toEqual(selected);
  }, 60_000);

  it('cancelling the parent stops its running sub-project builds within 5 s', async () => {
    const slowApi = { 'api/Dockerfile': `FROM ${world.busybox}\nRUN echo napping && sleep 39\n` };
    const sha = await world.git.commit('mono', { ...files, ...slowApi }, 'api: slow');
    const parentId = await pushWebhook(kiln, service, sha, { modified: ['api/Dockerfile'] });
    await eventually(
      'the api sub-project to be sleeping',
      async () => (await processesMatching('sleep', '39')).length > 0,
    );

    const requestedAt = Date.now();
    expect((await kiln.api('POST', `/builds/${parentId}/cancel`)).status).toBe(202);
    const parent = await kiln.waitForBuild(parentId, undefined, 10_000);
    const child = await kiln.waitForBuild(parent.children[0].id, undefined, 10_000);
    expect(Date.now() - requestedAt).toBeLessThan(5000);
    expect([parent.status, child.status]).toEqual(['Cancelled', 'Cancelled']);
    await eventually(
      'the RUN step to be gone',
      async () => (await processesMatching('sleep', '39')).length === 0,
      5000,
    );
  }, 60_000);

  it("every build's history replays cleanly against the current workflow code", async () => {
    expect(await replayEveryBuild(kiln)).toBeGreaterThan(0);
  }, 60_000);
});
