// Kubeconfigs are data, never programs (issue 10, item 3): an exec plugin, auth provider, token file or file
// path is refused at registration and update, and a stored one (as if written before this check) is refused at
// load and never runs: the marker file its command would create never appears.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkClusterConnectivity } from '../../clients/kubernetes/client';
import { clusters } from '../../db/schema';
import { createOrgWithMember, createTestApi, type TestApi } from '../support/api-client';
import { startCredentialCatcher, type CredentialCatcher } from '../support/credential-catcher';

let api: TestApi;
let org: Awaited<ReturnType<typeof createOrgWithMember>>;
let catcher: CredentialCatcher;
let root: string;
let marker: string;
let secretFile: string;
const hostSecret = 'contents-of-a-file-on-the-kiln-host';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kiln-kubeconfig-'));
  marker = path.join(root, 'exec-ran');
  secretFile = path.join(root, 'host-secret');
  await writeFile(secretFile, hostSecret);
  [api, catcher] = await Promise.all([createTestApi(), startCredentialCatcher()]);
  org = await createOrgWithMember(api, 'ops');
});
afterAll(async () => {
  await Promise.all([api?.close(), catcher?.stop()]);
  await rm(root, { recursive: true, force: true });
});

/** A kubeconfig for the catcher whose user and cluster carry `user` and `cluster` fields. */
function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // The catcher speaks plain HTTP, which client-node allows only with TLS verification off.
    clusters: [{ name: 'c', cluster: { server: catcher.baseUrl, 'insecure-skip-tls-verify': true, ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'ctx',
  });
}
/** The attack: a credential plugin whose "command" is a shell that leaves a marker file behind. */
const execKubeconfig = () =>
  kubeconfig({
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: '/bin/sh',
      args: ['-c', `touch '${marker}'; echo '{"apiVersion":"client.authentication.k8s.io/v1","status":{"token":"x"}}'`],
    },
  });

const asAdmin = (method: string, url: string, body?: unknown) =>
  api.request(method, url, { token: org.adminToken, body });
const clusterRows = () => api.db.select().from(clusters).where(eq(clusters.organizationId, org.organizationId));

describe('registration refuses kubeconfigs that are programs or read files', () => {
  it.each([
    ['users[0].user.exec', execKubeconfig, 'it runs a program on the Kiln host'],
    [
      'users[0].user.auth-provider',
      () => kubeconfig({ 'auth-provider': { name: 'gcp', config: { 'cmd-path': '/bin/sh' } } }),
      'it runs provider code',
    ],
    ['users[0].user.tokenFile', () => kubeconfig({ tokenFile: secretFile }), 'it reads a file on the Kiln host'],
    ['users[0].user.token-file', () => kubeconfig({ 'token-file': secretFile }), 'it reads a file on the Kiln host'],
    [
      'users[0].user.client-certificate',
      () => kubeconfig({ 'client-certificate': '/etc/ssl/certs/x.pem', 'client-key-data': 'eA==' }),
      'client-certificate-data',
    ],
    ['users[0].user.client-key', () => kubeconfig({ 'client-key': '/root/key.pem' }), 'client-key-data'],
    [
      'clusters[0].cluster.certificate-authority',
      () => kubeconfig({ token: 't' }, { 'certificate-authority': '/etc/kubernetes/ca.crt' }),
      'certificate-authority-data',
    ],
    [
      'clusters[0].cluster.proxy-url',
      () => kubeconfig({ token: 't' }, { 'proxy-url': 'socks5://127.0.0.1:1080' }),
      'HTTPS_PROXY',
    ],
  ])('POST /clusters with %s is 400 naming the field, and stores nothing', async (field, config, reason) => {
    const before = (await clusterRows()).length;
    const res = await asAdmin('POST', '/clusters', { name: `c-${before}`, mode: 'kubeconfig', kubeconfig: config() });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(`kubeconfig: ${field} is not allowed: `);
    expect(res.body.message).toContain(reason);
    expect(await clusterRows()).toHaveLength(before);
    expect(existsSync(marker)).toBe(false);
  });

  it('a YAML merge key cannot smuggle an exec plugin past the check', async () => {
    const smuggled = [
      'apiVersion: v1',
      'extensions: [{ name: x, extension: &plugin { exec: { apiVersion: client.authentication.k8s.io/v1, command: /bin/sh } } }]',
      'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]',
      'users: [{ name: u, user: { <<: *plugin } }]',
      'contexts: [{ name: x, context: { cluster: c, user: u } }]',
      'current-context: x',
    ].join('\n');
    const res = await asAdmin('POST', '/clusters', { name: 'merge', mode: 'kubeconfig', kubeconfig: smuggled });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^kubeconfig: users\[0\]\.user\.<< is not allowed/);
  });

  it('accepts inline data: a bearer token with CA data, client certificate data, username and password', async () => {
    for (const [name, user] of [
      ['token', { token: 'bearer-token' }],
      ['cert', { 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' }],
      ['basic', { username: 'kiln', password: 'pw' }],
    ] as const) {
      const res = await asAdmin('POST', '/clusters', {
        name: `ok-${name}`,
        mode: 'kubeconfig',
        kubeconfig: kubeconfig(user, { 'certificate-authority-data': 'Y2E=', 'tls-server-name': 'kube' }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.server).toBe(catcher.baseUrl);
      expect(JSON.stringify(res.body)).not.toContain('bearer-token');
    }
  });

  it('PATCH with an exec kubeconfig is 400 and the stored kubeconfig stays as it was', async () => {
    const created = await asAdmin('POST', '/clusters', {
      name: 'patched',
      mode: 'kubeconfig',
      kubeconfig: kubeconfig({ token: 'good' }),
    });
    expect(created.status).toBe(201);
    const [before] = await api.db.select().from(clusters).where(eq(clusters.id, created.body.id));
    const res = await asAdmin('PATCH', `/clusters/${created.body.id}`, { kubeconfig: execKubeconfig() });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^kubeconfig: users\[0\]\.user\.exec is not allowed: it runs a program/);
    const [after] = await api.db.select().from(clusters).where(eq(clusters.id, created.body.id));
    expect(after!.kubeconfigEnc).toBe(before!.kubeconfigEnc);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a stored kubeconfig is checked again before it is used', () => {
  /** Writes a cluster straight into the database, as one registered before the check existed would be. */
  async function storedCluster(name: string, config: string) {
    const [row] = await api.db
      .insert(clusters)
      .values({
        organizationId: org.organizationId,
        name,
        mode: 'kubeconfig',
        kubeconfigEnc: api.cipher.encrypt(config),
      })
      .returning();
    return row!;
  }

  it('POST /clusters/{id}/check refuses an exec kubeconfig with the reason, and the command never runs', async () => {
    const row = await storedCluster('legacy-exec', execKubeconfig());
    const seen = catcher.requests.length;
    const res = await asAdmin('POST', `/clusters/${row.id}/check`);
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.message).toContain(
      'Refusing to use this kubeconfig: kubeconfig: users[0].user.exec is not allowed',
    );
    expect(existsSync(marker)).toBe(false);
    expect(catcher.requests.length).toBe(seen);
    // Listing and reading it still work (no 500), without the server of a kubeconfig Kiln will not use.
    const got = await asAdmin('GET', `/clusters/${row.id}`);
    expect(got.status).toBe(200);
    expect(got.body.server).toBeNull();
  });

  it('a stored token-file kubeconfig is refused before the file is read and sent to the server', async () => {
    const row = await storedCluster('legacy-token-file', kubeconfig({ 'token-file': secretFile }));
    const seen = catcher.requests.length;
    const res = await asAdmin('POST', `/clusters/${row.id}/check`);
    expect(res.body.ok).toBe(false);
    expect(res.body.message).toContain('users[0].user.token-file is not allowed');
    expect(catcher.requests.length).toBe(seen);
    expect(JSON.stringify(res.body)).not.toContain(hostSecret);
  });

  it('the worker-side loader refuses it too (deploys and pull Secrets go through the same loader)', async () => {
    const result = await checkClusterConnectivity({ kubeconfig: execKubeconfig() });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Refusing to use this kubeconfig: kubeconfig: users\[0\]\.user\.exec/);
    expect(existsSync(marker)).toBe(false);
  });

  it('a data-only stored kubeconfig is used: the check reaches its server with the bearer token', async () => {
    const row = await storedCluster('data-only', kubeconfig({ token: 'cluster-bearer-token' }));
    const seen = catcher.requests.length;
    const res = await asAdmin('POST', `/clusters/${row.id}/check`);
    expect(res.body.ok).toBe(false);
    expect(catcher.requests.slice(seen).map((r) => r.authorization)).toContain('Bearer cluster-bearer-token');
  });
});
