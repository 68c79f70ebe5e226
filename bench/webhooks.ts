// Webhook intake bench: deliveries per second and p50/p99 latency of valid GitHub pushes (verify → record →
// build workflow started) at 1, 16 and 64 concurrent senders, next to a bare Hono handler that only verifies
// the signature, measured in the same run over real HTTP. Run alone with `npx tsx bench/webhooks.ts`.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { Hono } from 'hono';
import { createApp } from '../api/app';
import { verifyGithubSignature } from '../api/webhooks/signatures';
import { ensureBootstrap } from '../db/bootstrap';
import { createSecretCipher } from '../db/crypto';
import { startDevServer } from '../devserver/server';
import { createTestDatabase } from '../tests/support/database';

const LEVELS = [
  { concurrency: 1, deliveries: 150 },
  { concurrency: 16, deliveries: 800 },
  { concurrency: 64, deliveries: 1600 },
];

interface Row {
  target: string;
  concurrency: number;
  deliveries: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function pushBody(n: number): string {
  const after = randomBytes(20).toString('hex');
  return JSON.stringify({
    ref: 'refs/heads/main',
    before: randomBytes(20).toString('hex'),
    after,
    deleted: false,
    head_commit: { id: after, message: `bench commit ${n}`, author: { name: 'Bench' } },
    repository: { id: 1, full_name: 'bench/service' },
    pusher: { name: 'bench' },
  });
}

async function runLevel(target: string, url: string, secret: string, concurrency: number, total: number): Promise<Row> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < total) {
      const body = pushBody(next++);
      const headers = {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      };
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers, body });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    target,
    concurrency,
    deliveries: total,
    perSecond: total / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

function listen(
  fetchHandler: (req: Request) => Response | Promise<Response>,
): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: fetchHandler, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

/** The baseline: a Hono handler that reads the body and checks the signature, nothing else. */
function bareVerifier(secret: string) {
  return new Hono().post('/webhook/github', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!verifyGithubSignature(secret, raw, c.req.header('x-hub-signature-256')))
      return c.json({ message: 'bad' }, 401);
    return c.json({ message: 'ok' }, 200);
  });
}

async function setUpKiln(temporalAddress: string) {
  const database = await createTestDatabase({ poolSize: 20 });
  const connection = await Connection.connect({ address: temporalAddress });
  const cipher = createSecretCipher(randomBytes(32));
  const app = createApp({
    db: database.db,
    temporal: new Client({ connection }),
    cipher,
    config: { publicUrl: 'http://127.0.0.1', temporalNamespace: 'default' },
  });
  const { adminToken } = await ensureBootstrap(database.db, { dataDir: 'memory://' });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as Record<string, string>;
  };
  await call('POST', '/git-providers', { kind: 'github', token: 'bench' });
  const registry = await call('POST', '/registries', {
    name: 'r',
    kind: 'oci',
    url: '127.0.0.1:5000',
    project: 'b',
    username: 'u',
    password: 'p',
  });
  const service = await call('POST', '/services', {
    name: 'bench',
    gitProvider: 'github',
    repoUrl: 'https://github.com/bench/service',
    registryId: registry.id,
  });
  await call('PUT', `/services/${service.id}/auto-ci`, { enabled: true, branchFilter: '*' });
  const secret = (await call('GET', `/services/${service.id}/webhook`)).secretToken!;
  const server = await listen(app.fetch);
  return {
    url: `${server.url}/api/v1/webhook/github`,
    secret,
    async close() {
      await server.close();
      await connection.close();
      await database.close();
    },
  };
}

/** Runs the webhook bench and prints its table (Kiln next to the bare verifier, ratio per level). */
export async function benchWebhooks(): Promise<void> {
  const external = process.env.TEMPORAL_ADDRESS;
  const devServer = external ? undefined : await startDevServer({ port: 0 });
  const kiln = await setUpKiln(external ?? devServer!.address);
  const bareSecret = randomBytes(24).toString('hex');
  const bare = await listen(bareVerifier(bareSecret).fetch);
  const bareUrl = `${bare.url}/webhook/github`;
  try {
    await runLevel('warm-up', kiln.url, kiln.secret, 8, 100);
    await runLevel('warm-up', bareUrl, bareSecret, 8, 100);
    const rows: Row[] = [];
    for (const level of LEVELS) {
      rows.push(await runLevel('bare verify', bareUrl, bareSecret, level.concurrency, level.deliveries));
      rows.push(await runLevel('kiln intake', kiln.url, kiln.secret, level.concurrency, level.deliveries));
    }
    console.log('\nWebhook intake (valid GitHub pushes; kiln = verify + record + build row + workflow started)');
    console.table(
      rows.map((r, i) => ({
        target: r.target,
        senders: r.concurrency,
        deliveries: r.deliveries,
        'deliveries/s': r.perSecond.toFixed(0),
        'p50 ms': r.p50.toFixed(1),
        'p99 ms': r.p99.toFixed(1),
        errors: r.errors,
        'throughput vs bare': i % 2 === 1 ? `${((r.perSecond / rows[i - 1]!.perSecond) * 100).toFixed(1)}%` : '',
      })),
    );
  } finally {
    await bare.close();
    await kiln.close();
    await devServer?.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchWebhooks();
}
