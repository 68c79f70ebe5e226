import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext } from '../../builders/builder';
import { createKubernetesBuilder } from '../../builders/kubernetes';
import { checkClusterConnectivity, requiredPermissions } from '../../clients/kubernetes/client';
import { deployService } from '../../clients/kubernetes/deploy';
import { ensureImagePullSecret } from '../../clients/kubernetes/pull-secret';
import type { FakeKubernetes } from '../support/fake-kubernetes';
import { startFakeKubernetes } from '../support/fake-kubernetes';
import type { AllowRule } from '../support/fake-kubernetes/rbac';
import type { GitServer } from '../support/git-server';
import { startGitServer } from '../support/git-server';
import { failureOf } from './failure';

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

/** What deploy/kubernetes/rbac.yaml grants the kiln-worker ServiceAccount, resolved through its bindings. */
async function grantsFromManifests(): Promise<{ rules: AllowRule[]; manifests: Manifest[] }> {
  const text = await readFile(path.resolve(import.meta.dirname, '../../deploy/kubernetes/rbac.yaml'), 'utf8');
  const manifests = parseAllDocuments(text).map((doc) => doc.toJS() as Manifest);
  const rules: AllowRule[] = [];
  for (const binding of manifests.filter((m) => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding')) {
    const boundToWorker = binding.subjects?.some(
      (s) => s.kind === 'ServiceAccount' && s.name === 'kiln-worker' && s.namespace === 'kiln',
    );
    if (!boundToWorker) continue;
    const namespace = binding.kind === 'RoleBinding' ? binding.metadata.namespace : undefined;
    const role = manifests.find(
      (m) =>
        m.kind === binding.roleRef?.kind &&
        m.metadata.name === binding.roleRef.name &&
        (m.kind === 'ClusterRole' || m.metadata.namespace === namespace),
    );
    for (const rule of role?.rules ?? []) rules.push({ ...rule, namespace });
  }
  return { rules, manifests };
}

describe('deploy/kubernetes/rbac.yaml', () => {
  let cluster: FakeKubernetes;
  let git: GitServer;
  let grants: AllowRule[];
  const digest = (c: string) => `127.0.0.1:5000/shop/web@sha256:${c.repeat(64)}`;

  beforeAll(async () => {
    ({ rules: grants } = await grantsFromManifests());
    [cluster, git] = await Promise.all([
      startFakeKubernetes({ namespaces: ['kiln-builds'] }),
      startGitServer({ username: 'oauth2', password: 't0ken' }),
    ]);
    cluster.rbac.restrictTo(grants);
  });
  afterAll(async () => {
    await cluster?.stop();
    await git?.stop();
  });

  it('declares a ServiceAccount without wildcards', async () => {
    const { manifests } = await grantsFromManifests();
    expect(manifests.find((m) => m.kind === 'ServiceAccount')?.metadata).toEqual({
      name: 'kiln-worker',
      namespace: 'kiln',
    });
    expect(JSON.stringify(grants)).not.toContain('*');
  });

  it('grants everything Kiln calls and nothing it does not', async () => {
    const kubeconfig = cluster.kubeconfig;
    const registry = { host: '127.0.0.1:5000', username: 'kiln', password: 'pw', insecure: true };
    const connectivity = await checkClusterConnectivity(kubeconfig, requiredPermissions('kiln-builds', 'shop'));
    expect(connectivity).toMatchObject({ ok: true });

    await ensureImagePullSecret({ kubeconfig, namespace: 'shop', serviceName: 'web', registry });
    await ensureImagePullSecret({
      kubeconfig,
      namespace: 'shop',
      serviceName: 'web',
      registry: { ...registry, password: 'rotated' },
    });
    await deployService({
      kubeconfig,
      namespace: 'shop',
      serviceName: 'web',
      image: digest('a'),
      port: 8080,
      timeoutSeconds: 10,
    });
    await deployService({
      kubeconfig,
      namespace: 'shop',
      serviceName: 'web',
      image: digest('b'),
      port: 8080,
      timeoutSeconds: 10,
    });
    cluster.deployments.progressDeadlineMs = 200;
    cluster.kubelet.plan({ kind: 'imagePullBackOff' }, (pod) => pod.metadata.namespace === 'shop');
    expect(
      await failureOf(
        deployService({ kubeconfig, namespace: 'shop', serviceName: 'web', image: digest('c'), timeoutSeconds: 10 }),
      ),
    ).toMatchObject({ type: 'DeployFailed' });

    const repo = await git.createRepository('app', { Dockerfile: 'FROM scratch\n' });
    cluster.kubelet.plan({ kind: 'oomKilled' }, (pod) => pod.metadata.namespace === 'kiln-builds');
    const context: BuildContext = {
      log: { write: () => {}, flush: async () => {} },
      signal: new AbortController().signal,
      heartbeat: () => {},
    };
    const build = createKubernetesBuilder({ access: kubeconfig }).build(
      {
        buildId: 'rbac-1',
        source: { repositoryUrl: repo.url, sha: repo.sha, ref: 'refs/heads/main', token: 't0ken' },
        contextPath: '.',
        dockerfilePath: 'Dockerfile',
        buildArgs: {},
        images: ['127.0.0.1:5000/shop/web:1'],
        registry,
        resources: { profile: 'small', cpu: 1, memoryMiB: 1024, timeoutSeconds: 60 },
      },
      context,
    );
    expect(await failureOf(build)).toMatchObject({ type: 'BuildOutOfMemory' });
    await expect.poll(() => cluster.store.list('pods', 'kiln-builds').length, { timeout: 10_000 }).toBe(0);
    expect(cluster.store.list('secrets', 'kiln-builds')).toEqual([]);

    const granted = new Set(
      grants.flatMap((rule) =>
        rule.verbs.flatMap((verb) => rule.resources.map((r) => `${verb} ${rule.apiGroups[0]}/${r}`)),
      ),
    );
    expect([...cluster.rbac.used].sort()).toEqual([...granted].sort());
  });

  it('reports the missing permissions when the builds-namespace RoleBinding is absent', async () => {
    cluster.rbac.restrictTo(grants.filter((rule) => rule.namespace !== 'kiln-builds'));
    const result = await checkClusterConnectivity(cluster.kubeconfig, requiredPermissions('kiln-builds'));
    expect(result).toMatchObject({ ok: false, version: 'v1.30.2' });
    // Secrets in kiln-builds stay allowed through the cluster-wide kiln-deployer binding.
    expect(result.message).toContain(
      'Permission denied: Kiln needs create pods in kiln-builds; get pods/log in kiln-builds. Apply',
    );
    cluster.rbac.restrictTo(grants);
  });
});
