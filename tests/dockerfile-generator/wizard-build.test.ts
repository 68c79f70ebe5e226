import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext, BuildRequest } from '../../builders/builder';
import { organizationStore } from '../../builders/buildah';
import { createLocalBuilder } from '../../builders/local';
import { proposeDockerfile } from '../../dockerfile-generator';
import { buildToolsAvailable, ensureBusyboxImage } from '../support/busybox-image';
import { startRegistry, type TestRegistry } from '../support/registry';
import { filesInImage, imageConfig, pushStandInImages } from './stand-in-images';
import { buildProfileResources } from '../../domain/build-profile';

const sha = 'feed000000000000000000000000000000000001';
let registry: TestRegistry;
let root: string;
let storageRoot: string;
let prefix: string;

beforeAll(async () => {
  if (!(await buildToolsAvailable()))
    throw new Error('buildah, docker-registry, htpasswd and busybox-static must be installed');
  root = await mkdtemp(path.join(tmpdir(), 'kiln-wizard-build-'));
  storageRoot = path.join(root, 'storage');
  registry = await startRegistry({ username: 'kiln', password: 'reg-PASSWORD-wizard' });
  const standIns = path.join(root, 'stand-ins');
  const busybox = await ensureBusyboxImage({ storageRoot: standIns, registry: registry.auth });
  await pushStandInImages(standIns, registry.auth, busybox);
  prefix = `${registry.host}/base/`;
}, 300_000);

afterAll(async () => {
  await registry?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

async function checkout(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'src-'));
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

function capture() {
  const lines: string[] = [];
  const ctx: BuildContext = {
    log: { write: (_stream, line) => void lines.push(line), flush: async () => {} },
    signal: new AbortController().signal,
    heartbeat: () => {},
  };
  return { ctx, text: () => lines.join('\n') };
}

function request(dir: string, name: string, extra: Partial<BuildRequest> = {}): BuildRequest {
  return {
    buildId: `wizard-${name}`,
    source: { repositoryUrl: 'http://git.example/team/app.git', sha, ref: 'refs/heads/main', checkoutDir: dir },
    contextPath: '.',
    dockerfilePath: 'Dockerfile',
    buildArgs: {},
    images: [`${registry.host}/team/${name}:${sha}`],
    registry: registry.auth,
    resources: { profile: 'small', ...buildProfileResources.small },
    ...extra,
  };
}

const store = () => organizationStore(storageRoot, undefined);
const nodeApp = {
  'package.json': JSON.stringify({ name: 'hello', version: '1.0.0', scripts: { start: 'node server.js' } }),
  'package-lock.json': JSON.stringify({
    name: 'hello',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: 'hello', version: '1.0.0' } },
  }),
  'server.js': "require('http').createServer((q, s) => s.end('hi')).listen(process.env.PORT || 3000);\n",
  '.env': 'SECRET=do-not-ship\n',
};

describe('Build Wizard Dockerfiles build for real (buildah, stand-in base images)', () => {
  it('a Node app: npm ci in the build stage, the app in /app owned by node, runs as node on its port', async () => {
    const dir = await checkout(nodeApp);
    const proposal = await proposeDockerfile(dir, undefined, { baseImagePrefix: prefix });
    await writeFile(path.join(dir, 'Dockerfile'), proposal.dockerfile);
    await writeFile(path.join(dir, '.dockerignore'), proposal.dockerignore);
    const run = capture();
    const out = await createLocalBuilder({ storageRoot }).build(request(dir, 'node-app'), run.ctx);
    expect(out.digest).toMatch(/^sha256:/);
    expect(run.text()).toContain('npm ci --no-audit --no-fund');
    const image = `${registry.host}/team/node-app:${sha}`;
    const files = await filesInImage(store(), image, [
      'app/server.js',
      'app/package.json',
      'app/.env',
      'app/Dockerfile',
    ]);
    expect(files['app/server.js']).toBe(nodeApp['server.js']);
    expect(files['app/package.json']).not.toBeNull();
    expect(files['app/.env']).toBeNull(); // .dockerignore keeps local secrets out
    expect(files['app/Dockerfile']).toBeNull();
    const config = await imageConfig(store(), image);
    expect(config.User).toBe('node');
    expect(config.Cmd).toEqual(['node', 'server.js']);
    expect(Object.keys(config.ExposedPorts ?? {})).toEqual(['3000/tcp']);
  }, 300_000);

  it('a static site: served by nginx as nginx on 8080, the pages in the html folder', async () => {
    const site = { 'index.html': '<h1>wizard</h1>\n', 'css/site.css': 'h1 { color: red }\n' };
    const dir = await checkout(site);
    const proposal = await proposeDockerfile(dir, undefined, { baseImagePrefix: prefix });
    const run = capture();
    // "Use for builds": the repository has no Dockerfile, so the stored one is used, and the log says so.
    const wizardDockerfile = { dockerfile: proposal.dockerfile, dockerignore: proposal.dockerignore };
    await createLocalBuilder({ storageRoot }).build(request(dir, 'static-site', { wizardDockerfile }), run.ctx);
    expect(run.text()).toContain("Using the Dockerfile from Kiln's Build Wizard: the repository has none");
    const image = `${registry.host}/team/static-site:${sha}`;
    const files = await filesInImage(store(), image, [
      'usr/share/nginx/html/index.html',
      'usr/share/nginx/html/css/site.css',
      'usr/share/nginx/html/Dockerfile.build-wizard',
      'etc/nginx/conf.d/default.conf',
      'etc/nginx/nginx.conf',
    ]);
    expect(files['usr/share/nginx/html/index.html']).toBe(site['index.html']);
    expect(files['usr/share/nginx/html/css/site.css']).toBe(site['css/site.css']);
    expect(files['usr/share/nginx/html/Dockerfile.build-wizard']).toBeNull();
    expect(files['etc/nginx/conf.d/default.conf']).toContain('listen 8080;');
    expect(files['etc/nginx/nginx.conf']).toContain('pid /tmp/nginx.pid;');
    const config = await imageConfig(store(), image);
    expect(config.User).toBe('nginx');
    expect(Object.keys(config.ExposedPorts ?? {})).toEqual(['8080/tcp']);
  }, 300_000);

  it("a repository's own Dockerfile wins over the stored one, and the log does not claim otherwise", async () => {
    const dir = await checkout({ Dockerfile: `FROM ${prefix}nginx:1\nCOPY own.txt /own.txt\n`, 'own.txt': 'mine\n' });
    const run = capture();
    const wizardDockerfile = { dockerfile: `FROM ${prefix}nginx:1\nCOPY own.txt /wizard.txt\n`, dockerignore: '' };
    await createLocalBuilder({ storageRoot }).build(request(dir, 'own-dockerfile', { wizardDockerfile }), run.ctx);
    expect(run.text()).not.toContain('Build Wizard');
    const files = await filesInImage(store(), `${registry.host}/team/own-dockerfile:${sha}`, ['own.txt', 'wizard.txt']);
    expect(files).toEqual({ 'own.txt': 'mine\n', 'wizard.txt': null });
  }, 300_000);

  it('without a stored Dockerfile a repository without one still fails as Dockerfile not found', async () => {
    const dir = await checkout({ 'index.html': 'x' });
    await expect(createLocalBuilder({ storageRoot }).build(request(dir, 'none'), capture().ctx)).rejects.toThrow(
      /Dockerfile not found/,
    );
  }, 120_000);
});
