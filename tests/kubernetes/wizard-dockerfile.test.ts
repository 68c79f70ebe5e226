import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext, BuildRequest } from '../../builders/builder';
import { createKubernetesBuilder } from '../../builders/kubernetes';
import { wizardDockerfileLine } from '../../builders/wizard-dockerfile';
import type { FakeKubernetes, KubeObject } from '../support/fake-kubernetes';
import { startFakeKubernetes } from '../support/fake-kubernetes';
import { registryPuller } from '../support/fake-kubernetes/image-puller';
import type { GitServer } from '../support/git-server';
import { startGitServer } from '../support/git-server';
import type { TestRegistry } from '../support/registry';
import { startRegistry } from '../support/registry';

const exec = promisify(execFile);
const gitToken = 'glpat-wizard-k8s-token';
const registryPassword = 'registry-wizard-k8s-password';
const wizard = {
  dockerfile: 'FROM scratch\nCOPY . /app/\nLABEL origin=wizard\n',
  dockerignore: '.git\n*.secret\n',
};

let git: GitServer;
let registry: TestRegistry;
let cluster: FakeKubernetes;
let scratch: string;
const createdSecrets: KubeObject[] = [];

beforeAll(async () => {
  [git, registry, cluster] = await Promise.all([
    startGitServer({ username: 'oauth2', password: gitToken }),
    startRegistry({ username: 'kiln', password: registryPassword }),
    startFakeKubernetes({ namespaces: ['kiln-builds'] }),
  ]);
  cluster.kubelet.puller = registryPuller(cluster.store, [registry.host]);
  cluster.store.on('change', (event) => {
    if (event.resource === 'secrets' && event.type === 'ADDED') createdSecrets.push(event.object);
  });
  scratch = await mkdtemp(path.join(tmpdir(), 'kiln-wizard-k8s-'));
});
afterAll(async () => {
  await cluster?.stop();
  await Promise.all([git?.stop(), registry?.stop()]);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function requestFor(buildId: string, source: BuildRequest['source'], repo: string): BuildRequest {
  return {
    buildId,
    source,
    contextPath: '.',
    dockerfilePath: 'Dockerfile',
    buildArgs: {},
    images: [`${registry.host}/team/${repo}:${source.sha}`],
    registry: registry.auth,
    resources: { profile: 'small', cpu: 1, memoryMiB: 1024, timeoutSeconds: 300 },
    wizardDockerfile: wizard,
  };
}

async function build(request: BuildRequest): Promise<{ lines: string[]; digest: string }> {
  const lines: string[] = [];
  const context: BuildContext = {
    log: { write: (_stream, line) => void lines.push(line), flush: async () => {} },
    signal: new AbortController().signal,
    heartbeat: () => {},
  };
  const output = await createKubernetesBuilder({ access: cluster.kubeconfig }).build(request, context);
  return { lines, digest: output.digest };
}

/** The pushed image's labels and every path in its layers, read from the registry's v2 API. */
async function imageContents(repository: string, tag: string) {
  const authorization = `Basic ${Buffer.from(`kiln:${registryPassword}`).toString('base64')}`;
  const get = (p: string, accept?: string) =>
    fetch(`http://${registry.host}/v2/${repository}/${p}`, {
      headers: { authorization, ...(accept ? { accept } : {}) },
    });
  const manifest = (await (
    await get(
      `manifests/${tag}`,
      'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    )
  ).json()) as { config: { digest: string }; layers: { digest: string }[] };
  const config = (await (await get(`blobs/${manifest.config.digest}`)).json()) as {
    config?: { Labels?: Record<string, string> };
  };
  const files: string[] = [];
  for (const layer of manifest.layers) {
    const blob = Buffer.from(await (await get(`blobs/${layer.digest}`)).arrayBuffer());
    files.push(...tarEntries(blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob));
  }
  return { labels: config.config?.Labels ?? {}, files };
}

/** Entry names of a (ustar) tar stream: name field, prefix field, size to skip the data. */
function tarEntries(tar: Buffer): string[] {
  const names: string[] = [];
  const field = (start: number, length: number, at: number) =>
    tar.toString('latin1', at + start, at + start + length).replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length;) {
    const name = field(0, 100, at);
    if (name === '') break;
    const prefix = field(345, 155, at);
    const size = parseInt(field(124, 12, at).trim() || '0', 8);
    const type = field(156, 1, at);
    if (type !== 'x' && type !== 'g') names.push((prefix ? `${prefix}/${name}` : name).replace(/^\.\//, ''));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

describe('Kubernetes builder with a Build Wizard Dockerfile', () => {
  it('uses the stored Dockerfile and .dockerignore when the checkout has none, and says so', async () => {
    const repo = await git.createRepository('k8s-wizard-none', {
      'app.txt': 'served\n',
      'notes.secret': 'never in the image\n',
    });
    const source = { repositoryUrl: repo.url, sha: repo.sha, ref: 'refs/heads/main', token: gitToken };
    const { lines } = await build(requestFor('wizard-k8s-1', source, 'none'));
    expect(lines).toContain(wizardDockerfileLine);
    const image = await imageContents('team/none', repo.sha);
    expect(image.labels.origin).toBe('wizard');
    expect(image.files).toContain('app/app.txt');
    expect(image.files.filter((f) => f.includes('notes.secret'))).toEqual([]);

    // The files travel in the per-build Secret, which is gone with the pod; they never reach argv or env.
    const secret = createdSecrets.find((s) => s.metadata.name?.includes('wizard-k8s-1'));
    const keys = Object.keys({ ...(secret?.data as object), ...(secret?.stringData as object) });
    expect(keys).toEqual(expect.arrayContaining(['wizard-dockerfile', 'wizard-dockerignore']));
    await expect.poll(() => cluster.store.list('secrets', 'kiln-builds').length, { timeout: 10_000 }).toBe(0);
  });

  it("builds the repository's own Dockerfile and .dockerignore when it has them (no wizard line)", async () => {
    const repo = await git.createRepository('k8s-wizard-own', {
      Dockerfile: 'FROM scratch\nCOPY . /app/\nLABEL origin=repository\n',
      '.dockerignore': '.git\n*.private\n',
      'app.txt': 'served\n',
      'notes.secret': 'the repository ships this one\n',
      'keys.private': 'excluded by the repository\n',
    });
    const source = { repositoryUrl: repo.url, sha: repo.sha, ref: 'refs/heads/main', token: gitToken };
    const { lines } = await build(requestFor('wizard-k8s-2', source, 'own'));
    expect(lines).not.toContain(wizardDockerfileLine);
    const image = await imageContents('team/own', repo.sha);
    expect(image.labels.origin).toBe('repository');
    expect(image.files).toContain('app/notes.secret');
    expect(image.files.filter((f) => f.includes('keys.private'))).toEqual([]);
  });

  it('treats a Dockerfile symlinked outside the checkout as none and writes nothing through it', async () => {
    // A repository the test git server cannot express: symlinks pointing out of the checkout.
    const bait = path.join(scratch, 'bait');
    await writeFile(bait, 'FROM scratch\nLABEL origin=outside\n');
    const work = path.join(scratch, 'symlinked');
    const run = (...args: string[]) =>
      exec('git', args, {
        cwd: work,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'Kiln Test',
          GIT_AUTHOR_EMAIL: 'test@kiln.invalid',
          GIT_COMMITTER_NAME: 'Kiln Test',
          GIT_COMMITTER_EMAIL: 'test@kiln.invalid',
          GIT_CONFIG_GLOBAL: '/dev/null',
        },
      });
    await exec('git', ['init', '--quiet', '--initial-branch=main', work]);
    await writeFile(path.join(work, 'app.txt'), 'served\n');
    await writeFile(path.join(work, 'notes.secret'), 'never in the image\n');
    await symlink(bait, path.join(work, 'Dockerfile'));
    await symlink('/etc/hostname', path.join(work, '.dockerignore'));
    await run('add', '--', 'app.txt', 'notes.secret', 'Dockerfile', '.dockerignore');
    await run('commit', '--quiet', '-m', 'symlinks');
    await run('config', 'uploadpack.allowAnySHA1InWant', 'true');
    const sha = (await run('rev-parse', 'HEAD')).stdout.trim();
    const source = { repositoryUrl: `file://${work}`, sha, ref: 'refs/heads/main' };

    const { lines } = await build(requestFor('wizard-k8s-3', source, 'symlinked'));
    expect(lines).toContain(wizardDockerfileLine);
    const image = await imageContents('team/symlinked', sha);
    expect(image.labels.origin).toBe('wizard');
    expect(image.files.filter((f) => f.includes('notes.secret'))).toEqual([]);
    expect(image.files).toContain('app/app.txt');
    expect(await readFile(bait, 'utf8')).toBe('FROM scratch\nLABEL origin=outside\n');
  });
});
