import { request as httpRequest, createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiln } from '../support/kiln';
import type { TestKilnWithWorkers } from '../support/kiln';
import {
  buildLog,
  eventually,
  processesMatching,
  pushWebhook,
  registerService,
  registryDigest,
  registryPassword,
  startPipelineWorld,
} from './setup';
import type { PipelineWorld } from './setup';

let world: PipelineWorld;
let kiln: TestKilnWithWorkers;
let proxy: RegistryProxy;

interface RegistryProxy {
  host: string;
  /** Every `METHOD path` the registry received through the proxy. */
  requests: string[];
  stop(): Promise<void>;
}

/** Forwards everything to the test registry unchanged and remembers each request, to count manifest pushes. */
async function startRegistryProxy(target: string): Promise<RegistryProxy> {
  const [hostname, port] = target.split(':');
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(
      { hostname, port: Number(port), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${own}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  world = await startPipelineWorld();
  proxy = await startRegistryProxy(world.registry.host);
  kiln = await startTestKiln({}, { worker: 'separate' });
  const registry = await kiln.api('POST', '/registries', {
    name: 'through-proxy',
    kind: 'oci',
    url: `http://${proxy.host}`,
    project: 'team',
    username: 'kiln',
    password: registryPassword,
    insecure: true,
  });
  expect(registry.status, JSON.stringify(registry.body)).toBe(201);
}, 180_000);

afterAll(async () => {
  await kiln?.stop();
  await proxy?.stop();
  await world?.stop();
});

describe('a worker killed in the middle of a build', () => {
  it('is replaced by a new worker that finishes the build with exactly one push', async () => {
    // The base image comes through the proxy too: the build only has credentials for the registry it pushes to.
    const base = world.busybox.replace(world.registry.host, proxy.host);
    const { sha } = await world.git.createRepository('durable', {
      Dockerfile: `FROM ${base}\nRUN for i in $(seq 1 6); do echo "tick $i"; sleep 1; done\n`,
    });
    const service = await registerService(kiln, world, 'durable');
    const first = kiln.startWorker();
    await first.ready;

    const buildId = await pushWebhook(kiln, service, sha);
    await eventually('the RUN step to tick', async () => (await buildLog(kiln, buildId)).includes('tick 2'));
    // The machine goes down: the worker and the build it ran die together, with no chance to clean up.
    const orphans = await processesMatching('buildah', buildId);
    await first.kill();
    for (const pid of orphans) process.kill(-pid, 'SIGKILL');
    expect((await kiln.api('GET', `/builds/${buildId}`)).body.status).toBe('Building');

    const second = kiln.startWorker();
    await second.ready;
    const build = await kiln.waitForBuild(buildId, undefined, 90_000);

    expect(build.status, build.error).toBe('Succeeded');
    expect(build.digest).toBe(await registryDigest(world, 'team/durable', sha));
    const manifestPushes = proxy.requests.filter((r) => r.startsWith(`PUT /v2/team/durable/manifests/${sha}`));
    expect(manifestPushes).toHaveLength(1);
    const log = await buildLog(kiln, buildId);
    expect(log.filter((line) => line === 'tick 6')).toHaveLength(1);
    expect(log).toContain(
      'Builder attempt 2: the previous attempt did not finish (its worker was lost or hit a passing error); building again.',
    );
    expect(log.at(-1)).toMatch(/^Build succeeded in/);
  }, 120_000);
});
