import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkClusterConnectivity, loadKubeConfig } from '../../clients/kubernetes/client';
import type { FakeKubernetes } from '../support/fake-kubernetes';
import { startFakeKubernetes } from '../support/fake-kubernetes';

describe('cluster access', () => {
  let cluster: FakeKubernetes;
  beforeAll(async () => {
    cluster = await startFakeKubernetes();
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('connects with a kubeconfig and reports the server version', async () => {
    expect(await checkClusterConnectivity(cluster.kubeconfig)).toEqual({
      ok: true,
      version: 'v1.30.2',
      message: `Connected to Kubernetes v1.30.2 at ${cluster.url}.`,
    });
  });

  it('reports rejected credentials without showing them', async () => {
    const wrong = cluster.kubeconfig.replace(/token: \S+/, 'token: not-the-token');
    const result = await checkClusterConnectivity(wrong);
    expect(result).toEqual({
      ok: false,
      message: `The cluster at ${cluster.url} rejected the credentials (401 Unauthorized). Update the kubeconfig's token or certificate.`,
    });
  });

  it('reports an unreachable cluster', async () => {
    const unreachable = cluster.kubeconfig.replace(cluster.url, 'https://127.0.0.1:1');
    const result = await checkClusterConnectivity(unreachable);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(
      /^Cannot reach the cluster at https:\/\/127\.0\.0\.1:1 \(.+\)\. Check the server address in the kubeconfig and the network\/firewall\.$/,
    );
  });

  it('explains that in-cluster access needs Kiln to run inside a pod', async () => {
    expect(process.env.KUBERNETES_SERVICE_HOST).toBeUndefined();
    expect(await checkClusterConnectivity({ inCluster: true })).toMatchObject({
      ok: false,
      message: expect.stringContaining('In-cluster access only works when Kiln runs inside a Kubernetes pod'),
    });
  });

  it('reports a kubeconfig that does not parse or has no cluster', async () => {
    expect(await checkClusterConnectivity('clusters: [oops')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Invalid kubeconfig'),
    });
    expect(() => loadKubeConfig('apiVersion: v1\nkind: Config\n')).toThrow(/current-context names no cluster/);
  });
  it("uses the context the runtime environment names, not only the file's current-context", async () => {
    const { parse, stringify } = await import('yaml');
    const config = parse(cluster.kubeconfig);
    // A second context pointing at an address nothing listens on becomes the file's current-context.
    config.clusters.push({ name: 'dead', cluster: { server: 'https://127.0.0.1:1' } });
    config.contexts.push({ name: 'dead', context: { cluster: 'dead', user: config.users[0].name } });
    const fake = config['current-context'];
    config['current-context'] = 'dead';
    const kubeconfig = stringify(config);
    expect((await checkClusterConnectivity({ kubeconfig })).ok).toBe(false);
    expect((await checkClusterConnectivity({ kubeconfig, context: fake })).ok).toBe(true);
    expect(await checkClusterConnectivity({ kubeconfig, context: 'missing' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('no context named "missing"'),
    });
  });
});
