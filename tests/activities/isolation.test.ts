// Hostile Dockerfiles against the local builder's isolation, with real buildah, runc, CNI and the real registry.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext, BuildRequest } from '../../builders/builder';
import { buildahStorageArgs, organizationStore } from '../../builders/buildah';
import { buildNetwork } from '../../builders/build-network';
import { createLocalBuilder } from '../../builders/local';
import { buildToolsAvailable, ensureBusyboxImage } from '../support/busybox-image';
import { startRegistry, type TestRegistry } from '../support/registry';
import { rejectionOf } from './failure';
import { buildProfileResources } from '../../domain/build-profile';

const exec = promisify(execFile);
const sha = 'feed000000000000000000000000000000000011';
const orgA = '0a0a0a0a-0000-4000-8000-00000000000a';
const orgB = '0b0b0b0b-0000-4000-8000-00000000000b';

let registryA: TestRegistry;
let registryB: TestRegistry;
let root: string;
let storageRoot: string;
let baseA: string;
let baseB: string;

beforeAll(async () => {
  if (!(await buildToolsAvailable())) throw new Error('buildah, docker-registry, htpasswd and busybox-static needed');
  root = await mkdtemp(path.join(tmpdir(), 'kiln-isolation-'));
  storageRoot = path.join(root, 'storage');
  registryA = await startRegistry({ username: 'org-a', password: 'pw-A-71c3' });
  registryB = await startRegistry({ username: 'org-b', password: 'pw-B-0e5d' });
  // The test's own trusted base image, built in a store no build uses.
  const seed = path.join(root, 'seed');
  baseA = await ensureBusyboxImage({ storageRoot: seed, registry: registryA.auth });
  baseB = await ensureBusyboxImage({ storageRoot: seed, registry: registryB.auth });
});

afterAll(async () => {
  await registryA?.stop();
  await registryB?.stop();
  await rm(root, { recursive: true, force: true });
});

function capture() {
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (match: RegExpExecArray) => void }> = [];
  const ctx: BuildContext = {
    log: {
      write: (_stream, line) => {
        lines.push(line);
        for (const waiter of waiters) {
          const match = waiter.pattern.exec(line);
          if (match) waiter.resolve(match);
        }
      },
      flush: async () => {},
    },
    signal: new AbortController().signal,
    heartbeat: () => {},
  };
  const seen = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve) => {
      const earlier = lines.map((line) => pattern.exec(line)).find((match) => match != null);
      if (earlier) resolve(earlier);
      else waiters.push({ pattern, resolve });
    });
  return { ctx, text: () => lines.join('\n'), seen };
}

async function context(dockerfile: string): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'src-'));
  await writeFile(path.join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

function request(org: string, dir: string, name: string, overrides: Partial<BuildRequest> = {}): BuildRequest {
  const registry = org === orgA ? registryA : registryB;
  return {
    buildId: `iso-${name}`,
    organizationId: org,
    source: { repositoryUrl: 'http://git.example/x.git', sha, ref: 'refs/heads/main', checkoutDir: dir },
    contextPath: '.',
    dockerfilePath: 'Dockerfile',
    buildArgs: {},
    images: [`${registry.host}/team/${name}:${sha}`],
    registry: registry.auth,
    resources: { profile: 'small', ...buildProfileResources.small },
    ...overrides,
  };
}

const builder = () => createLocalBuilder({ storageRoot });

/** PIDs of host processes whose environment holds `value` (what an unisolated build could read too). */
async function processesWithEnv(value: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (environ.includes(value)) found.push(Number(pid));
  }
  return found;
}

/** A TCP listener on every host address, counting connections. */
async function listenEverywhere(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    socket.end('kiln-host-service\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return {
    port: address.port,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('isolated local builds', () => {
  it("a build of organization B sees none of organization A's concurrent build: processes, secret, network", async () => {
    const secret = 'org-a-SECRET-4d1f9e';
    const a = capture();
    const dirA = await context(
      `FROM ${baseA}\nARG HELD\nRUN (nc -l -p 7070 &) ; echo "a-ip $(ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)"; sleep 8; echo a-done\n`,
    );
    const buildA = builder().build(request(orgA, dirA, 'holder', { buildArgs: { HELD: secret } }), a.ctx);
    const [, ipA] = await a.seen(/^a-ip (\S+)$/);
    // The control: from the host, A's RUN step and its secret are there to be found.
    expect((await processesWithEnv(secret)).length).toBeGreaterThan(0);

    const b = capture();
    const dirB = await context(
      [
        `FROM ${baseB}`,
        'ARG TARGET',
        `RUN echo "b-processes $(ls -d /proc/[0-9]* | wc -l)"; ps -o pid,args; cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' '\\n' | grep -c HELD || true; ls /proc/*/root/ 2>/dev/null | head -50; echo hello-from-b | nc -w 2 "$TARGET" 7070 && echo b-reached-a || echo b-refused-by-a`,
        '',
      ].join('\n'),
    );
    await builder().build(request(orgB, dirB, 'snooper', { buildArgs: { TARGET: ipA! } }), b.ctx);
    await buildA;

    const [, count] = await b.seen(/^b-processes (\d+)$/);
    expect(Number(count)).toBeLessThan(6);
    expect(b.text()).not.toContain(secret);
    expect(b.text()).not.toContain('sleep 8');
    expect(b.text()).toContain('b-refused-by-a');
    expect(a.text()).not.toContain('hello-from-b');
    expect(ipA).toMatch(/^10\.89\.213\./);
  });

  it('a RUN step reaches no service of the host on any host address (loopback, eth0, bridges, PostgreSQL)', async () => {
    const listener = await listenEverywhere();
    try {
      const hostAddresses = Object.values(networkInterfaces())
        .flat()
        .filter((info) => info?.family === 'IPv4')
        .map((info) => info!.address);
      const targets = [...new Set([...hostAddresses, buildNetwork.gateway])];
      expect(targets).toEqual(expect.arrayContaining(['127.0.0.1', buildNetwork.gateway]));
      expect(targets.length).toBeGreaterThan(2);
      const probes = targets.flatMap((address) =>
        [listener.port, 5432].map(
          (port) =>
            `if nc -w 2 ${address} ${port} </dev/null >/dev/null 2>&1; then echo "reached ${address}:${port}"; else echo "refused ${address}:${port}"; fi`,
        ),
      );
      const run = capture();
      const dir = await context(`FROM ${baseA}\nRUN ip route; ${probes.join('; ')}\n`);
      await builder().build(request(orgA, dir, 'prober'), run.ctx);
      const fromBuilds = listener.connections();
      // The control: from the host the listener answers on every one of these addresses (the bridge exists now).
      for (const address of targets) {
        const { stdout } = await exec('busybox', ['nc', '-w', '2', address, String(listener.port)]);
        expect(stdout).toContain('kiln-host-service');
      }
      expect(run.text()).not.toMatch(/^reached /m);
      for (const address of targets) expect(run.text()).toContain(`refused ${address}:${listener.port}`);
      expect(run.text()).toMatch(new RegExp(`default via ${buildNetwork.gateway.replace(/\./g, '\\.')}`));
      expect(fromBuilds).toBe(0);
    } finally {
      await listener.close();
    }
  });

  it("FROM another organization's image fails with a clear pull error, though the image is in that organization's store", async () => {
    const dirA = await context(`FROM ${baseA}\nRUN echo org-a-private > /private.txt\n`);
    await builder().build(request(orgA, dirA, 'private'), capture().ctx);
    const privateImage = `${registryA.host}/team/private:${sha}`;
    const { stdout } = await exec('buildah', [...buildahStorageArgs(organizationStore(storageRoot, orgA)), 'images']);
    expect(stdout).toContain(`${registryA.host}/team/private`);

    const run = capture();
    const dirB = await context(`FROM ${privateImage}\nRUN cat /private.txt\n`);
    const error = await rejectionOf(builder().build(request(orgB, dirB, 'thief'), run.ctx));
    expect(error.type).toBe('RegistryAuthFailed');
    expect(error.message).toBe(
      `Registry authentication failed: ${registryA.host} refused the base image ${privateImage}. Kiln logs in only to ${registryB.host}; make that image public or move it to ${registryB.host}.`,
    );
    expect(run.text()).not.toContain('org-a-private');
  });

  it('a memory hog on the small profile fails as out of memory, and the machine stays responsive', async () => {
    const dir = await context(`FROM ${baseA}\nRUN echo hog-start; head -c 3000m /dev/zero | tail > /dev/null\n`);
    let worstLagMs = 0;
    let last = Date.now();
    const ticker = setInterval(() => {
      worstLagMs = Math.max(worstLagMs, Date.now() - last - 100);
      last = Date.now();
    }, 100);
    const started = Date.now();
    const run = capture();
    const error = await rejectionOf(builder().build(request(orgA, dir, 'hog'), run.ctx)).finally(() =>
      clearInterval(ticker),
    );
    expect(run.text()).toContain('hog-start');
    expect(error.type).toBe('BuildOutOfMemory');
    expect(error.message).toBe(
      "Build ran out of memory: a RUN step was killed at the build's 2048 MiB limit (profile small); try a larger build profile.",
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(worstLagMs).toBeLessThan(2000);
  });

  it('holds a build to its profile CPU: two busy loops on small (1 CPU) get about one CPU', async () => {
    const dir = await context(
      `FROM ${baseA}\nRUN echo cpu-start; for i in 1 2; do (end=$(( $(date +%s) + 4 )); while [ $(date +%s) -lt $end ]; do :; done) & done; wait; echo cpu-done\n`,
    );
    const run = capture();
    const build = builder().build(request(orgA, dir, 'spinner'), run.ctx);
    await run.seen(/^cpu-start$/);
    const usage = await buildCpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const used = ((await buildCpuUsage()) - usage) / 1e9;
    await build;
    expect(used).toBeGreaterThan(0.5);
    expect(used).toBeLessThan(2 * 1.25);
  });

  it('refuses every build, naming what is missing, when isolation cannot be set up', async () => {
    const dir = await context(`FROM ${baseA}\nRUN echo should-not-run\n`);
    const run = capture();
    const broken = createLocalBuilder({ storageRoot, runtime: 'runc-not-installed' });
    const error = await rejectionOf(broken.build(request(orgA, dir, 'refused'), run.ctx));
    expect(error.type).toBe('ConfigurationError');
    expect(error.message).toBe(
      'Isolated builds are not available on this worker: missing the OCI runtime runc-not-installed (package runc). Install them (apt-get install runc containernetworking-plugins iptables), or set KILN_LOCAL_ISOLATION=chroot on the worker to build trusted code only, without isolation.',
    );
    expect(run.text()).not.toContain('should-not-run');
  });
});

/** cpuacct usage (ns) of every Kiln build cgroup below this process's memory cgroup path. */
async function buildCpuUsage(): Promise<number> {
  const own = (await readFile('/proc/self/cgroup', 'utf8')).split('\n').find((line) => /:memory:/.test(line));
  const base = path.join('/sys/fs/cgroup/cpuacct', own?.split(':')[2] ?? '/', 'kiln-builds');
  let total = 0;
  for (const name of await readdir(base).catch(() => [])) {
    total += Number(await readFile(path.join(base, name, 'cpuacct.usage'), 'utf8').catch(() => '0'));
  }
  return total;
}
