// The Kubernetes path end to end: a webhook push builds in a BuildKit pod on the (fake) cluster, pushes to the
// real registry, and auto-deploys the digest to the service's namespace with the image-pull Secret.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushWebhook, registerService, registryDigest, startPipelineWorld } from '../pipeline/setup';
import type { PipelineWorld } from '../pipeline/setup';
import { startFakeKubernetes } from '../support/fake-kubernetes';
import type { FakeKubernetes } from '../support/fake-kubernetes';
import { registryPuller } from '../support/fake-kubernetes/image-puller';
import { startTestKiln } from '../support/kiln';
import type { TestKiln } from '../support/kiln';

let world: PipelineWorld;
let cluster: FakeKubernetes;
let kiln: TestKiln;
let scratch: string;

beforeAll(async () => {
  [world, cluster] = await Promise.all([startPipelineWorld(), startFakeKubernetes({ namespaces: ['kiln-builds'] })]);
  cluster.kubelet.puller = registryPuller(cluster.store, [world.registry.host]);
  scratch = await mkdtemp(path.join(tmpdir(), 'kiln-k8s-e2e-'));
  const kubeconfigFile = path.join(scratch, 'kubeconfig');
  await writeFile(kubeconfigFile, cluster.kubeconfig, { mode: 0o600 });
  kiln = await startTestKiln({ KILN_BUILDER: 'kubernetes', KILN_BUILD_KUBECONFIG: kubeconfigFile });
}, 180_000);

afterAll(async () => {
  await kiln?.stop();
  await cluster?.stop();
  await world?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('a push with auto-deploy on Kubernetes', () => {
  it('builds in a BuildKit pod, pushes the image and rolls the Deployment to its digest', async () => {
    const { sha } = await world.git.createRepository('shop', {
      Dockerfile: 'FROM scratch\nCOPY index.html /srv/index.html\n',
      'index.html': '<h1>shop</h1>\n',
    });
    const service = await registerService(kiln, world, 'shop');
    const clusterId = (
      await kiln.api('POST', '/clusters', { name: 'prod', mode: 'kubeconfig', kubeconfig: cluster.kubeconfig })
    ).body.id;
    expect((await kiln.api('PATCH', `/services/${service.id}`, { clusterId })).status).toBe(200);
    const saved = await kiln.api('PUT', `/services/${service.id}/auto-ci`, { autoDeploy: true });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.pullSecret).toMatchObject({ state: 'created', name: 'shop-registry-cred', namespace: 'shop' });

    const buildId = await pushWebhook(kiln, service, sha);
    const build = await kiln.waitForBuild(buildId, ['Succeeded', 'Failed', 'Cancelled'], 180_000);

    expect(build.status, build.error).toBe('Succeeded');
    expect(build.digest).toBe(await registryDigest(world, 'team/shop', sha));
    const deployment = cluster.store.get('deployments', 'shop', 'shop');
    const containers = (deployment?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
      .containers;
    expect(containers[0]?.image).toBe(`${world.registry.host}/team/shop@${build.digest}`);
    const status = await kiln.api('GET', `/services/${service.id}/deployment`);
    expect(status.body).toMatchObject({
      state: 'Available',
      image: `${world.registry.host}/team/shop@${build.digest}`,
    });
    const log = await kiln.api('GET', `/builds/${buildId}/logs?limit=1000`);
    const text = (log.body.lines as { text: string }[]).map((line) => line.text).join('\n');
    expect(text).toMatch(/Build pod \S+ created in namespace kiln-builds/);
    expect(text).toMatch(/Deployment shop (created|updated): 1 replica\(s\) available/);
    // Build pods and their Secrets are gone once the build is over.
    expect(cluster.store.list('pods').filter((pod) => pod.metadata.namespace === 'kiln-builds')).toHaveLength(0);
    expect(cluster.store.list('secrets').filter((secret) => secret.metadata.namespace === 'kiln-builds')).toHaveLength(
      0,
    );
  });
});
