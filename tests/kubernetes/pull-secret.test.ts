import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureImagePullSecret } from '../../clients/kubernetes/pull-secret';
import type { FakeKubernetes } from '../support/fake-kubernetes';
import { startFakeKubernetes } from '../support/fake-kubernetes';
import { failureOf } from './failure';
import type { RegistryAuth } from '../../clients/registry';

const registry: RegistryAuth = {
  host: 'harbor.example.com',
  username: 'robot$ci',
  password: 'first-password',
  insecure: false,
};

function decodedConfig(cluster: FakeKubernetes, namespace: string, name: string) {
  const secret = cluster.store.get('secrets', namespace, name);
  const data = secret?.data as Record<string, string> | undefined;
  return { secret, config: JSON.parse(Buffer.from(data?.['.dockerconfigjson'] ?? '', 'base64').toString('utf8')) };
}

describe('ensureImagePullSecret', () => {
  let cluster: FakeKubernetes;
  beforeEach(async () => {
    cluster = await startFakeKubernetes({ namespaces: ['shop'] });
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('creates {serviceName}-registry-cred of type dockerconfigjson with the registry login', async () => {
    const result = await ensureImagePullSecret({
      kubeconfig: cluster.kubeconfig,
      namespace: 'shop',
      serviceName: 'web',
      registry,
    });
    expect(result).toEqual({
      name: 'web-registry-cred',
      namespace: 'shop',
      action: 'created',
      namespaceCreated: false,
    });
    const { secret, config } = decodedConfig(cluster, 'shop', 'web-registry-cred');
    expect(secret?.type).toBe('kubernetes.io/dockerconfigjson');
    expect(config.auths['harbor.example.com']).toEqual({
      username: 'robot$ci',
      password: 'first-password',
      auth: Buffer.from('robot$ci:first-password').toString('base64'),
    });
  });

  it('updates the same Secret in place when the password changes, and leaves it alone when nothing changed', async () => {
    const input = { kubeconfig: cluster.kubeconfig, namespace: 'shop', serviceName: 'web', registry };
    await ensureImagePullSecret(input);
    const before = cluster.store.get('secrets', 'shop', 'web-registry-cred')!;
    expect((await ensureImagePullSecret(input)).action).toBe('unchanged');
    const changed = await ensureImagePullSecret({ ...input, registry: { ...registry, password: 'rotated' } });
    expect(changed.action).toBe('updated');
    const { secret, config } = decodedConfig(cluster, 'shop', 'web-registry-cred');
    expect(secret?.metadata.uid).toBe(before.metadata.uid);
    expect(Number(secret?.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    expect(config.auths['harbor.example.com'].password).toBe('rotated');
  });

  it('uses the Docker Hub index key for docker.io credentials', async () => {
    const hub = { host: 'docker.io', username: 'me', password: 'pat', insecure: false };
    await ensureImagePullSecret({
      kubeconfig: cluster.kubeconfig,
      namespace: 'shop',
      serviceName: 'api',
      registry: hub,
    });
    expect(Object.keys(decodedConfig(cluster, 'shop', 'api-registry-cred').config.auths)).toEqual([
      'https://index.docker.io/v1/',
    ]);
  });

  it('creates the service namespace when it is missing', async () => {
    const result = await ensureImagePullSecret({
      kubeconfig: cluster.kubeconfig,
      namespace: 'fresh',
      serviceName: 'web',
      registry,
    });
    expect(result.namespaceCreated).toBe(true);
    expect(cluster.store.get('namespaces', '', 'fresh')).toBeDefined();
    expect(cluster.store.get('secrets', 'fresh', 'web-registry-cred')).toBeDefined();
  });

  it('says "Namespace not found" when the namespace is missing and may not be created', async () => {
    const attempt = ensureImagePullSecret({
      kubeconfig: cluster.kubeconfig,
      namespace: 'ghost',
      serviceName: 'web',
      registry,
      createNamespace: false,
    });
    await expect(attempt).rejects.toMatchObject({
      type: 'NamespaceNotFound',
      message: expect.stringMatching(
        /^Namespace not found: "ghost".*Create the namespace first or select a different namespace/,
      ),
    });
    expect(cluster.store.list('secrets')).toEqual([]);
  });

  it('reports Permission denied when the namespace is missing and Kiln may not create namespaces', async () => {
    cluster.rbac.deny({ verb: 'create', resource: 'namespaces' });
    const attempt = ensureImagePullSecret({
      kubeconfig: cluster.kubeconfig,
      namespace: 'ghost',
      serviceName: 'web',
      registry,
    });
    await expect(attempt).rejects.toMatchObject({
      type: 'PermissionDenied',
      message: expect.stringContaining(
        'Permission denied: system:serviceaccount:kiln:kiln-worker needs create on namespaces at cluster scope',
      ),
    });
  });

  it('reports Permission denied with the missing verb, resource and namespace when RBAC forbids creating secrets', async () => {
    cluster.rbac.deny({ verb: 'create', resource: 'secrets', namespace: 'shop' });
    const attempt = ensureImagePullSecret({
      kubeconfig: cluster.kubeconfig,
      namespace: 'shop',
      serviceName: 'web',
      registry,
    });
    await expect(attempt).rejects.toMatchObject({
      type: 'PermissionDenied',
      message: expect.stringContaining(
        'Permission denied: system:serviceaccount:kiln:kiln-worker needs create on secrets in namespace "shop"',
      ),
    });
    expect(cluster.store.list('secrets', 'shop')).toEqual([]);
  });

  it('reports Permission denied on update when the Secret exists but may not be changed', async () => {
    const input = { kubeconfig: cluster.kubeconfig, namespace: 'shop', serviceName: 'web', registry };
    await ensureImagePullSecret(input);
    cluster.rbac.deny({ verb: 'update', resource: 'secrets' });
    await expect(ensureImagePullSecret({ ...input, registry: { ...registry, password: 'new' } })).rejects.toMatchObject(
      {
        type: 'PermissionDenied',
        message: expect.stringContaining('needs update on secrets in namespace "shop"'),
      },
    );
  });

  it('never puts the password in an error message', async () => {
    cluster.rbac.deny({ resource: 'secrets' });
    const error = await failureOf(
      ensureImagePullSecret({
        kubeconfig: cluster.kubeconfig,
        namespace: 'shop',
        serviceName: 'web',
        registry,
      }),
    );
    expect(error.message).not.toContain('first-password');
  });
});
