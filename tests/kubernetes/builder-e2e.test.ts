import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext, BuildRequest } from '../../builders/builder';
import { createKubernetesBuilder } from '../../builders/kubernetes';
import { deployService, getDeploymentStatus } from '../../clients/kubernetes/deploy';
import { ensureImagePullSecret } from '../../clients/kubernetes/pull-secret';
import type { FakeKubernetes, KubeObject } from '../support/fake-kubernetes';
import { startFakeKubernetes } from '../support/fake-kubernetes';
import { registryPuller } from '../support/fake-kubernetes/image-puller';
import type { GitServer } from '../support/git-server';
import { startGitServer } from '../support/git-server';
import type { TestRegistry } from '../support/registry';
import { startRegistry } from '../support/registry';
import { failureOf } from './failure';

const gitToken = 'glpat-e2e-secret-token';
const registryPassword = 'registry-e2e-password';

/** Reads `repository:tag` straight from the registry's v2 API, independent of Kiln's registry client. */
async function registryManifest(registry: TestRegistry, repository: string, tag: string) {
  const authorization = `Basic ${Buffer.from(`kiln:${registryPassword}`).toString('base64')}`;
  const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';
  const response = await fetch(`http://${registry.host}/v2/${repository}/manifests/${tag}`, {
    headers: { authorization, accept },
  });
  const manifest = (await response.json()) as { config: { digest: string } };
  const config = await fetch(`http://${registry.host}/v2/${repository}/blobs/${manifest.config.digest}`, {
    headers: { authorization },
  });
  return {
    digest: response.headers.get('docker-content-digest'),
    config: (await config.json()) as { config?: { Labels?: Record<string, string> } },
  };
}

describe('Kubernetes builder end to end: git → BuildKit pod (buildah in the fake kubelet) → real registry → deploy', () => {
  let git: GitServer;
  let registry: TestRegistry;
  let cluster: FakeKubernetes;
  let request: BuildRequest;
  const createdPods: KubeObject[] = [];

  beforeAll(async () => {
    [git, registry, cluster] = await Promise.all([
      startGitServer({ username: 'oauth2', password: gitToken }),
      startRegistry({ username: 'kiln', password: registryPassword }),
      startFakeKubernetes({ namespaces: ['kiln-builds'] }),
    ]);
    cluster.kubelet.puller = registryPuller(cluster.store, [registry.host]);
    cluster.store.on('change', (event) => {
      if (event.resource === 'pods' && event.type === 'ADDED') createdPods.push(event.object);
    });
    const repo = await git.createRepository('shop', {
      'services/web/Dockerfile':
        'FROM scratch\nARG GREETING=none\nCOPY hello.txt /hello.txt\nLABEL greeting=$GREETING\n',
      'services/web/hello.txt': 'hello from kiln\n',
    });
    request = {
      buildId: 'e2e-1',
      source: { repositoryUrl: repo.url, sha: repo.sha, ref: 'refs/heads/main', token: gitToken },
      contextPath: 'services/web',
      dockerfilePath: 'services/web/Dockerfile',
      buildArgs: { GREETING: 'from-kiln' },
      images: [`${registry.host}/shop/web:${repo.sha}`, `${registry.host}/shop/web:main`],
      cacheRef: `${registry.host}/shop/web:buildcache`,
      registry: registry.auth,
      resources: { profile: 'small', cpu: 1, memoryMiB: 2048, timeoutSeconds: 300 },
    };
  });
  afterAll(async () => {
    await cluster?.stop();
    await Promise.all([git?.stop(), registry?.stop()]);
  });

  it('pushes a real image whose digest matches the registry, streams the logs and leaves nothing behind', async () => {
    const lines: string[] = [];
    const phases: string[] = [];
    const context: BuildContext = {
      log: { write: (_stream, line) => void lines.push(line), flush: async () => {} },
      signal: new AbortController().signal,
      heartbeat: () => {},
      phase: (phase) => void phases.push(phase),
    };
    const output = await createKubernetesBuilder({ access: cluster.kubeconfig }).build(request, context);

    const pushed = await registryManifest(registry, 'shop/web', request.source.sha);
    expect(output.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(output.digest).toBe(pushed.digest);
    expect((await registryManifest(registry, 'shop/web', 'main')).digest).toBe(output.digest);
    expect(pushed.config.config?.Labels?.greeting).toBe('from-kiln');
    expect((await registryManifest(registry, 'shop/web', 'buildcache')).digest).toMatch(/^sha256:/);
    expect(output.images).toEqual(request.images);

    expect(lines).toContain(`Checked out ${request.source.sha}`);
    expect(lines).toContain('Building with BuildKit…');
    expect(lines.some((l) => l.includes('COPY hello.txt /hello.txt'))).toBe(true);
    expect(phases).toContain('push');

    const spec = JSON.stringify(createdPods.find((p) => p.metadata.name === 'kiln-build-e2e-1')?.spec);
    expect(spec).toContain('buildctl-daemonless.sh');
    expect(spec).not.toContain(gitToken);
    expect(spec).not.toContain(registryPassword);
    expect(lines.join('\n')).not.toContain(gitToken);
    await expect.poll(() => cluster.store.list('pods', 'kiln-builds').length, { timeout: 10_000 }).toBe(0);
    expect(cluster.store.list('secrets', 'kiln-builds')).toEqual([]);

    // Deploy without the registry Secret: the kubelet cannot pull the private image (the guide's common mistake).
    const image = `${registry.host}/shop/web@${output.digest}`;
    const deploy = {
      kubeconfig: cluster.kubeconfig,
      namespace: 'shop',
      serviceName: 'web',
      image,
      port: 8080,
      timeoutSeconds: 10,
    };
    cluster.deployments.progressDeadlineMs = 500;
    cluster.createNamespace('shop');
    const withoutSecret = await failureOf(deployService(deploy));
    expect(withoutSecret).toMatchObject({ type: 'DeployFailed' });
    expect(withoutSecret.message).toContain('ImagePullBackOff');
    expect(withoutSecret.message).toContain('failed to authorize: 401 Unauthorized');

    // Saving Auto CI creates the Secret; the kubelet's next pull attempt succeeds and the service becomes available.
    await ensureImagePullSecret({
      kubeconfig: cluster.kubeconfig,
      namespace: 'shop',
      serviceName: 'web',
      registry: registry.auth,
    });
    const status = () => getDeploymentStatus({ kubeconfig: cluster.kubeconfig, namespace: 'shop', serviceName: 'web' });
    await expect.poll(async () => (await status()).state, { timeout: 10_000 }).toBe('Available');
    expect(await deployService(deploy)).toMatchObject({ image, availableReplicas: 1 });
  });

  it('fails with "Registry authentication failed" when the registry refuses the push', async () => {
    const context: BuildContext = {
      log: { write: () => {}, flush: async () => {} },
      signal: new AbortController().signal,
      heartbeat: () => {},
    };
    const wrong = {
      ...request,
      buildId: 'e2e-2',
      cacheRef: undefined,
      registry: { ...registry.auth, password: 'not-the-password' },
    };
    const error = await failureOf(createKubernetesBuilder({ access: cluster.kubeconfig }).build(wrong, context));
    expect(error).toMatchObject({ type: 'RegistryAuthFailed' });
    expect(error.message).toContain('Registry authentication failed');
    expect(error.message).not.toContain('not-the-password');
    await expect.poll(() => cluster.store.list('pods', 'kiln-builds').length, { timeout: 10_000 }).toBe(0);
  });
});
