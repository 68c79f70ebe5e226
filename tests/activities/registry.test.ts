import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkRegistryLogin,
  getManifestDigest,
  manifestMediaTypes,
  parseChallenge,
  type RegistryAuth,
} from '../../clients/registry';
import { ensureBusyboxImage } from '../support/busybox-image';
import { freePort, startRegistry, type TestRegistry } from '../support/registry';
import { rejectionOf } from './failure';

const password = 'registry-PASS-42';
let registry: TestRegistry;
let storageRoot: string;
let bearer: { server: Server; host: string; scopes: string[] };

beforeAll(async () => {
  storageRoot = await mkdtemp(path.join(tmpdir(), 'kiln-registry-test-'));
  registry = await startRegistry({ username: 'kiln', password });
  await ensureBusyboxImage({ storageRoot, registry: registry.auth });
  bearer = await startBearerFront(registry);
});

afterAll(async () => {
  bearer?.server.close();
  await registry?.stop();
  await rm(storageRoot, { recursive: true, force: true });
});

/**
 * A registry front that authenticates like Docker Hub and Harbor: 401 with a `Bearer realm=…` challenge, a token
 * service taking Basic credentials, and only then the real registry (reached with Basic behind the scenes).
 */
async function startBearerFront(upstream: TestRegistry) {
  const scopes: string[] = [];
  const token = `tok-${Math.random().toString(36).slice(2)}`;
  const upstreamAuth = `Basic ${Buffer.from(`kiln:${password}`).toString('base64')}`;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://front');
    if (url.pathname === '/token') {
      if (req.headers.authorization !== upstreamAuth) return void res.writeHead(401).end();
      scopes.push(url.searchParams.get('scope') ?? '');
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token }));
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      const realm = `http://${req.headers.host}/token`;
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${realm}",service="kiln-test"` });
      return void res.end();
    }
    const answer = await fetch(`http://${upstream.host}${url.pathname}`, {
      method: req.method,
      headers: { Accept: String(req.headers.accept ?? ''), Authorization: upstreamAuth },
    });
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => (headers[name] = value));
    delete headers['content-length'];
    res.writeHead(answer.status, headers).end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, scopes };
}

async function servedDigest(): Promise<string> {
  const response = await fetch(`http://${registry.host}/v2/base/busybox/manifests/1`, {
    headers: {
      Accept: manifestMediaTypes.join(', '),
      Authorization: `Basic ${Buffer.from(`kiln:${password}`).toString('base64')}`,
    },
  });
  return `sha256:${createHash('sha256')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex')}`;
}

describe('registry v2 client', () => {
  it('reads the manifest digest with Basic auth', async () => {
    expect(await getManifestDigest(registry.auth, 'base/busybox', '1')).toBe(await servedDigest());
  });

  it('follows the Bearer token flow of the WWW-Authenticate challenge', async () => {
    const auth: RegistryAuth = { ...registry.auth, host: bearer.host };
    expect(await getManifestDigest(auth, 'base/busybox', '1')).toBe(await servedDigest());
    expect(bearer.scopes).toContain('repository:base/busybox:pull');
    await expect(checkRegistryLogin(auth)).resolves.toBeUndefined();
  });

  it.each(['basic', 'bearer'])('reports wrong credentials (%s) as "Registry authentication failed"', async (kind) => {
    const host = kind === 'basic' ? registry.host : bearer.host;
    const wrong: RegistryAuth = { ...registry.auth, host, password: 'nope-WRONG-1' };
    for (const attempt of [() => checkRegistryLogin(wrong), () => getManifestDigest(wrong, 'base/busybox', '1')]) {
      const error = await rejectionOf(attempt());
      expect(error.type).toBe('RegistryAuthFailed');
      expect(error.message).toMatch(/^Registry authentication failed: .*Re-check the registry username\/password\.$/);
      expect(error.message).not.toContain('nope-WRONG-1');
    }
  });

  it('reports an unreachable registry as unavailable', async () => {
    const gone: RegistryAuth = { ...registry.auth, host: `127.0.0.1:${await freePort()}` };
    const error = await rejectionOf(checkRegistryLogin(gone));
    expect(error.type).toBe('RegistryUnavailable');
    expect(error.message).toContain('ECONNREFUSED');
    // A registry that is down for a moment must not fail the build for good: the step is retried.
    expect(error.nonRetryable).toBe(false);
  });

  it('says so when the tag does not exist', async () => {
    await expect(getManifestDigest(registry.auth, 'base/busybox', 'missing')).rejects.toThrow(/answered 404/);
  });

  it('parses challenges', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:a/b:pull' },
    });
    expect(parseChallenge('Basic realm="harbor"')).toEqual({ scheme: 'basic', params: { realm: 'harbor' } });
  });
});
