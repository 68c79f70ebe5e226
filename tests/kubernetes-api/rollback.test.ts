// POST /services/:id/rollback as users meet it: the API runs workflows/rollback.ts on Kiln's worker (devserver,
// bundled workflows, real activities) against a faithful fake Kubernetes API, and waits for the rollout.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildLogLines, builds } from '../../db/schema';
import { rollbackWorkflowId } from '../../workflows/names';
import { createOrgWithMember, createTestApi, expectStatus, type TestApi } from '../support/api-client';
import { type FakeKubernetes, startFakeKubernetes } from '../support/fake-kubernetes';
import { kilnWorkflowBundle, startKilnWorker, type TestKilnWorker } from '../support/kiln-worker';
import { replayWorkflow, startTestTemporal, type TestTemporal } from '../support/temporal';

let temporal: TestTemporal;
let api: TestApi;
let worker: TestKilnWorker;
let cluster: FakeKubernetes;
let org: Awaited<ReturnType<typeof createOrgWithMember>>;
let serviceId: string;
let registryId: string;
const repo = 'harbor.example.com/shop/web';
const digests = [`sha256:${'a'.repeat(64)}`, `sha256:${'b'.repeat(64)}`];
const buildIds: string[] = [];

// The organization admin configures; rollbacks are theirs here too (a member may roll back as well).
const admin = () => api.client(org.adminToken);
const rollback = (token = org.adminToken, id = serviceId) =>
  api.client(token).services[':id'].rollback.$post({ param: { id } });
const deployment = async () => expectStatus(admin().services[':id'].deployment.$get({ param: { id: serviceId } }), 200);
const logOf = async (buildId: string) =>
  (await expectStatus(admin().builds[':id'].logs.$get({ param: { id: buildId }, query: {} }), 200)).lines;
const pullSecretPassword = () => {
  const data = cluster.store.get('secrets', 'web', 'web-registry-cred')?.data as Record<string, string> | undefined;
  const config = data && JSON.parse(Buffer.from(data['.dockerconfigjson']!, 'base64').toString('utf8'));
  return config?.auths['harbor.example.com'].password as string | undefined;
};

async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) expect.fail(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  [temporal, cluster] = await Promise.all([startTestTemporal(), startFakeKubernetes({ namespaces: [] })]);
  api = await createTestApi({ temporal: temporal.client });
  worker = await startKilnWorker(temporal, api);
  org = await createOrgWithMember(api, 'k8s');
  const registry = {
    name: 'harbor',
    kind: 'harbor' as const,
    url: 'harbor.example.com',
    project: 'shop',
    username: 'robot$ci',
    password: 'first-password',
  };
  registryId = (await expectStatus(admin().registries.$post({ json: registry }), 201)).id;
  const runtime = { name: 'prod', mode: 'kubeconfig' as const, kubeconfig: cluster.kubeconfig };
  const clusterId = (await expectStatus(admin().clusters.$post({ json: runtime }), 201)).id;
  const service = { name: 'web', gitProvider: 'gitlab' as const, repoUrl: 'https://gitlab.example.com/shop/web.git' };
  serviceId = (await expectStatus(admin().services.$post({ json: { ...service, registryId, clusterId } }), 201)).id;
  // Two successful builds of main; each has its own log, with the lines of its own Deploy step.
  for (const [index, digest] of digests.entries()) {
    const id = randomUUID();
    buildIds.push(id);
    await api.db.insert(builds).values({
      id,
      serviceId,
      organizationId: org.organizationId,
      trigger: 'api',
      event: 'manual',
      ref: 'refs/heads/main',
      branch: 'main',
      sha: String(index).repeat(40),
      status: 'Succeeded',
      images: [`${repo}:${String(index).repeat(40)}`],
      digest,
      workflowId: `build-${id}`,
      finishedAt: new Date(Date.now() - (2 - index) * 60_000),
    });
    await api.db.insert(buildLogLines).values([
      { buildId: id, seq: 6_000_000, stream: 'system', text: `Deploying ${repo}@${digest}`, at: new Date() },
      { buildId: id, seq: 9_000_000, stream: 'system', text: 'Build succeeded', at: new Date() },
    ]);
  }
}, 120_000);
afterEach(() => {
  cluster.rbac.allowAll();
  cluster.faults.clear();
  cluster.kubelet.puller = async () => undefined;
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([api?.close(), cluster?.stop()]);
  await temporal?.stop();
});

describe('rollback through the workflow', () => {
  it('deploys the newest build not running, then goes back one more', async () => {
    expect((await deployment()).state).toBe('NotDeployed');
    const first = await expectStatus(rollback(), 200);
    // The newest successful build is not running, so the first rollback deploys it; the second goes back one more.
    expect(first).toEqual({
      buildId: buildIds[1],
      image: `${repo}@${digests[1]}`,
      namespace: 'web',
      availableReplicas: 1,
    });
    expect(await deployment()).toMatchObject({ state: 'Available', image: `${repo}@${digests[1]}` });
    const back = await expectStatus(rollback(), 200);
    expect(back.image).toBe(`${repo}@${digests[0]}`);
    expect(back.buildId).toBe(buildIds[0]);
    // The recorded history replays against today's workflow code (no nondeterminism).
    const workflowBundle = await kilnWorkflowBundle();
    await replayWorkflow(temporal.client, { workflowBundle }, rollbackWorkflowId(serviceId));
  });

  it("writes the rollback on the target build's log after that build's own lines", async () => {
    const lines = await logOf(buildIds[0]!);
    expect(lines.slice(0, 2).map((line) => [line.seq, line.text])).toEqual([
      [6_000_000, `Deploying ${repo}@${digests[0]}`],
      [9_000_000, 'Build succeeded'],
    ]);
    const rollbackLines = lines.slice(2);
    expect(rollbackLines.map((line) => [line.stream, line.text])).toEqual([
      ['system', `Rollback requested by k8s-admin, replacing ${repo}@${digests[1]}`],
      ['system', `Deploying ${repo}@${digests[0]} to namespace web on prod`],
      ['system', 'Deployment web updated: 1 replica(s) available'],
    ]);
    expect(rollbackLines.every((line) => line.seq >= 10_000_000)).toBe(true);
  });

  it('refreshes the image-pull Secret with the current registry password, as a deploy does', async () => {
    expect(pullSecretPassword()).toBe('first-password');
    await expectStatus(
      admin().registries[':id'].$patch({ param: { id: registryId }, json: { password: 'pw-2' } }),
      200,
    );
    cluster.store.remove('secrets', 'web', 'web-registry-cred');
    const result = await expectStatus(rollback(), 200);
    expect(result.image).toBe(`${repo}@${digests[1]}`);
    expect(pullSecretPassword()).toBe('pw-2');
  });

  it('survives a Kubernetes API that answers 503 once: the redeploy is retried and the log says so', async () => {
    const replaces = () => cluster.requests.filter((r) => r === 'PUT /apis/apps/v1/namespaces/web/deployments/web');
    const before = replaces().length;
    cluster.faults.unavailable('PUT', /^\/apis\/apps\/v1\/namespaces\/web\/deployments\/web$/);
    const result = await expectStatus(rollback(), 200);
    expect(result).toMatchObject({ buildId: buildIds[0], image: `${repo}@${digests[0]}`, availableReplicas: 1 });
    expect(replaces().length - before).toBe(2);
    const texts = (await logOf(buildIds[0]!)).map((line) => line.text);
    expect(texts.slice(-6)).toEqual([
      `Rollback requested by k8s-admin, replacing ${repo}@${digests[1]}`,
      `Deploying ${repo}@${digests[0]} to namespace web on prod`,
      expect.stringMatching(/^Rollback failed \(attempt 1\): Kubernetes API error 503 \(ServiceUnavailable\)/),
      `Rollback requested by k8s-admin, replacing ${repo}@${digests[1]}`,
      `Deploying ${repo}@${digests[0]} to namespace web on prod`,
      'Deployment web updated: 1 replica(s) available',
    ]);
  });

  it('answers 422 with the Kubernetes message when the redeploy is refused, and logs it on the target build', async () => {
    cluster.rbac.deny({ verb: 'update', resource: 'deployments', namespace: 'web' });
    const refused = await expectStatus(rollback(), 422);
    expect(refused.message).toMatch(/^Permission denied: .* needs update on deployments in namespace "web"/);
    expect((await deployment()).image).toBe(`${repo}@${digests[0]}`);
    const texts = (await logOf(buildIds[1]!)).map((line) => line.text);
    // A denial is permanent: one attempt, no retry.
    expect(texts.at(-1)).toBe(`Rollback failed (attempt 1): ${refused.message}`);
    expect(texts.filter((text) => text.startsWith('Rollback failed'))).toHaveLength(1);
  });
});

describe('who and when', () => {
  it('refuses a second rollback of the service while one is running (409), and the first completes', async () => {
    let releasePulls: () => void = () => undefined;
    const pullsHeld = new Promise<void>((resolve) => (releasePulls = resolve));
    cluster.kubelet.puller = async () => pullsHeld.then(() => undefined);
    const requested = async () =>
      (await logOf(buildIds[1]!)).filter((line) => line.text.startsWith('Rollback requested')).map((l) => l.text);
    const requestedBefore = (await requested()).length;
    const first = expectStatus(rollback(), 200);
    const updated = async () => (await deployment()).image === `${repo}@${digests[1]}`;
    await eventually('the first rollback updates the Deployment', updated);
    const second = await expectStatus(rollback(org.token), 409);
    expect(second.message).toBe(
      'A rollback of web is already running: wait for it to finish, then roll back again if needed.',
    );
    releasePulls();
    expect((await first).image).toBe(`${repo}@${digests[1]}`);
    // Only the first ran: one more rollback on the target's log, none anywhere else.
    expect(await requested()).toHaveLength(requestedBefore + 1);
    expect((await requested()).at(-1)).toBe(`Rollback requested by k8s-admin, replacing ${repo}@${digests[0]}`);
    expect((await logOf(buildIds[0]!)).at(-1)!.text).toBe('Deployment web updated: 1 replica(s) available');
  });

  it('gives a member of another organization 404 and starts nothing', async () => {
    const other = await createOrgWithMember(api, 'other');
    const handle = temporal.client.workflow.getHandle(rollbackWorkflowId(serviceId));
    const lastRun = (await handle.describe()).runId;
    const generation = cluster.store.get('deployments', 'web', 'web')!.metadata.generation;
    for (const token of [other.token, other.adminToken]) {
      const refused = await expectStatus(rollback(token), 404);
      expect(refused.message).not.toContain('web');
    }
    expect((await handle.describe()).runId).toBe(lastRun);
    expect(cluster.store.get('deployments', 'web', 'web')!.metadata.generation).toBe(generation);
  });

  it('answers 409 for a service without a cluster, and for one with nothing earlier to deploy', async () => {
    const bare = { name: 'bare', gitProvider: 'gitlab' as const, repoUrl: 'https://gitlab.example.com/shop/bare.git' };
    const id = (await expectStatus(admin().services.$post({ json: bare }), 201)).id;
    const noCluster = await expectStatus(rollback(org.token, id), 409);
    expect(noCluster.message).toBe('The service has no cluster, so nothing was deployed to roll back.');
    await api.db.update(builds).set({ status: 'Failed' }).where(eq(builds.serviceId, serviceId));
    const nothing = await expectStatus(rollback(org.token), 409);
    expect(nothing.message).toBe('No earlier successful build with a different image exists to roll back to.');
  });
});
