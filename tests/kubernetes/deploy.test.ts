import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployService, getDeploymentStatus } from '../../clients/kubernetes/deploy';
import type { FakeKubernetes, KubeObject } from '../support/fake-kubernetes';
import { startFakeKubernetes } from '../support/fake-kubernetes';
import { failureOf } from './failure';

const digestA = `sha256:${'a'.repeat(64)}`;
const digestB = `sha256:${'b'.repeat(64)}`;
const repo = 'harbor.example.com/shop/web';
const isWebPod = (pod: KubeObject) => pod.metadata.labels?.['app.kubernetes.io/name'] === 'web';

function runningImage(cluster: FakeKubernetes): string | undefined {
  const deployment = cluster.store.get('deployments', 'shop', 'web');
  return (deployment?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]
    ?.image;
}

describe('deployService', () => {
  let cluster: FakeKubernetes;
  let input: Parameters<typeof deployService>[0];
  beforeEach(async () => {
    cluster = await startFakeKubernetes({ namespaces: ['shop'] });
    input = {
      kubeconfig: cluster.kubeconfig,
      namespace: 'shop',
      serviceName: 'web',
      image: `${repo}:3f2c1ab`,
      digest: digestA,
      timeoutSeconds: 10,
    };
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('creates a Deployment pinned by digest with the pull Secret and labels, plus a Service for the port, and waits until it is available', async () => {
    const result = await deployService({ ...input, port: 8080, buildId: 'b-1' });
    expect(result).toMatchObject({
      action: 'created',
      service: 'created',
      image: `${repo}@${digestA}`,
      availableReplicas: 1,
    });
    const deployment = cluster.store.get('deployments', 'shop', 'web')!;
    const template = (
      deployment.spec as { template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> } }
    ).template;
    expect(template.spec.imagePullSecrets).toEqual([{ name: 'web-registry-cred' }]);
    expect(template.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/instance': 'web',
      'app.kubernetes.io/managed-by': 'kiln',
    });
    const service = cluster.store.get('services', 'shop', 'web')!;
    expect(service.spec).toMatchObject({
      selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' },
      ports: [{ port: 8080, targetPort: 'http' }],
    });
    expect(cluster.store.list('pods', 'shop').filter(isWebPod)).toHaveLength(1);
  });

  it('updates the existing Deployment and Service in place and replaces the old pods', async () => {
    await deployService({ ...input, port: 8080 });
    const clusterIp = (cluster.store.get('services', 'shop', 'web')!.spec as { clusterIP: string }).clusterIP;
    const second = await deployService({ ...input, port: 8080, digest: digestB });
    expect(second).toMatchObject({ action: 'updated', service: 'updated', generation: 2, image: `${repo}@${digestB}` });
    expect((cluster.store.get('services', 'shop', 'web')!.spec as { clusterIP: string }).clusterIP).toBe(clusterIp);
    await expect
      .poll(
        () =>
          cluster.store
            .list('pods', 'shop')
            .filter(isWebPod)
            .map((p) => (p.spec as { containers: { image: string }[] }).containers[0]!.image),
        { timeout: 10_000 },
      )
      .toEqual([`${repo}@${digestB}`]);
  });

  it('fails the Deploy step with the pod reason when the rollout hits its progress deadline (ImagePullBackOff)', async () => {
    cluster.deployments.progressDeadlineMs = 300;
    cluster.kubelet.plan({ kind: 'imagePullBackOff' }, isWebPod);
    const error = await failureOf(deployService(input));
    expect(error).toMatchObject({ type: 'DeployFailed' });
    expect(error.message).toContain('Deploy failed: Deployment "web" in namespace "shop" failed to roll out');
    expect(error.message).toContain('ImagePullBackOff (Back-off pulling image "harbor.example.com/shop/web@sha256:');
    expect(error.message).toContain('image-pull Secret "web-registry-cred" may be missing or stale');
  });

  it('fails with the reason when the rollout does not finish before the deploy timeout', async () => {
    cluster.kubelet.plan({ kind: 'unschedulable', message: '0/2 nodes are available: 2 Insufficient cpu.' }, isWebPod);
    const progress: string[] = [];
    const error = await failureOf(deployService({ ...input, timeoutSeconds: 1, onProgress: (m) => progress.push(m) }));
    expect(progress).toContain('0 of 1 updated replicas available');
    expect(error).toMatchObject({ type: 'DeployFailed' });
    expect(error.message).toMatch(
      /did not become available within 1s: pod web-\w+-\w+: Unschedulable \(0\/2 nodes are available: 2 Insufficient cpu\.\)/,
    );
  });

  // A rollback (workflows/rollback.ts) deploys an earlier build's digest again through this same call.
  it('rolls back to the previous successful digest', async () => {
    await deployService(input);
    await deployService({ ...input, digest: digestB });
    const result = await deployService({
      kubeconfig: cluster.kubeconfig,
      namespace: 'shop',
      serviceName: 'web',
      image: `${repo}@${digestA}`,
      timeoutSeconds: 10,
    });
    expect(result).toMatchObject({ action: 'updated', image: `${repo}@${digestA}`, generation: 3 });
    expect(runningImage(cluster)).toBe(`${repo}@${digestA}`);
    expect(
      await getDeploymentStatus({ kubeconfig: cluster.kubeconfig, namespace: 'shop', serviceName: 'web' }),
    ).toMatchObject({
      state: 'Available',
      image: `${repo}@${digestA}`,
      availableReplicas: 1,
    });
  });

  it('refuses an image that is not pinned by digest', async () => {
    await expect(deployService({ ...input, digest: undefined })).rejects.toThrow(/not pinned by a sha256 digest/);
    expect(cluster.store.list('deployments')).toEqual([]);
  });

  it('reports Permission denied when Kiln may not create deployments in the namespace', async () => {
    cluster.rbac.deny({ verb: 'create', resource: 'deployments', namespace: 'shop' });
    await expect(deployService(input)).rejects.toMatchObject({
      type: 'PermissionDenied',
      message: expect.stringContaining(
        'Permission denied: system:serviceaccount:kiln:kiln-worker needs create on deployments in namespace "shop"',
      ),
    });
  });

  it('reports Namespace not found for a namespace that does not exist', async () => {
    await expect(deployService({ ...input, namespace: 'nowhere' })).rejects.toMatchObject({
      type: 'NamespaceNotFound',
      message: expect.stringContaining('Namespace not found: "nowhere"'),
    });
  });

  it('reports NotDeployed, then Failed for a stuck rollout, on the Operate stage', async () => {
    const access = { kubeconfig: cluster.kubeconfig, namespace: 'shop', serviceName: 'web' };
    expect(await getDeploymentStatus(access)).toMatchObject({ state: 'NotDeployed' });
    cluster.deployments.progressDeadlineMs = 200;
    cluster.kubelet.plan({ kind: 'imagePullBackOff' }, isWebPod);
    await deployService(input).catch(() => undefined);
    expect(await getDeploymentStatus(access)).toMatchObject({
      state: 'Failed',
      message: expect.stringContaining('has timed out progressing'),
    });
  });
});
