import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext, BuildRequest } from '../../builders/builder';
import { createKubernetesBuilder } from '../../builders/kubernetes';
import { buildObjectNames } from '../../builders/buildkit/manifests';
import { ensureBusyboxImage } from '../support/busybox-image';
import type { FakeKubernetes, KubeObject } from '../support/fake-kubernetes';
import { startFakeKubernetes } from '../support/fake-kubernetes';
import type { GitServer } from '../support/git-server';
import { startGitServer } from '../support/git-server';
import { fileInImage, readRegistryImage } from '../support/registry-image';
import type { TestRegistry } from '../support/registry';
import { startRegistry } from '../support/registry';

const gitToken = 'glpat-k8s-secret-args-token';
const registryPassword = 'registry-k8s-secret-args';
const secretValue = 'k8s-SECRET-BUILD-ARG-0b5d7e';

describe('secret build args on the Kubernetes builder (BuildKit pod, buildah in the fake kubelet)', () => {
  let git: GitServer;
  let registry: TestRegistry;
  let cluster: FakeKubernetes;
  const created: KubeObject[] = [];

  beforeAll(async () => {
    [git, registry, cluster] = await Promise.all([
      startGitServer({ username: 'oauth2', password: gitToken }),
      startRegistry({ username: 'kiln', password: registryPassword }),
      startFakeKubernetes({ namespaces: ['kiln-builds'] }),
    ]);
    cluster.store.on('change', (event) => {
      if (event.type === 'ADDED' && ['pods', 'secrets'].includes(event.resource)) created.push(event.object);
    });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    await Promise.all([git?.stop(), registry?.stop()]);
  });

  it('mounts them as files for BuildKit --secret only: the step sees the value, the pod spec and image do not', async () => {
    // The base image lives in the emulated BuildKit's own store, as a cached base would.
    const base = await ensureBusyboxImage({ storageRoot: cluster.buildkitStorageRoot, registry: registry.auth });
    const repo = await git.createRepository('secret-app', {
      Dockerfile: [
        `FROM ${base}`,
        'ARG GREETING=none',
        'RUN echo "greeting=$GREETING" > /greeting.txt',
        'RUN --mount=type=secret,id=TOKEN sha256sum /run/secrets/TOKEN | cut -d" " -f1 > /token.sha',
        '',
      ].join('\n'),
    });
    const request: BuildRequest = {
      buildId: 'secret-args-1',
      source: { repositoryUrl: repo.url, sha: repo.sha, ref: 'refs/heads/main', token: gitToken },
      contextPath: '.',
      dockerfilePath: 'Dockerfile',
      buildArgs: { GREETING: 'hello-plain' },
      secretBuildArgs: { TOKEN: secretValue },
      images: [`${registry.host}/team/secret-app:${repo.sha}`],
      registry: registry.auth,
      resources: { profile: 'small', cpu: 1, memoryMiB: 2048, timeoutSeconds: 300 },
    };
    const lines: string[] = [];
    const context: BuildContext = {
      log: { write: (_stream, line) => void lines.push(line), flush: async () => {} },
      signal: new AbortController().signal,
      heartbeat: () => {},
    };
    await createKubernetesBuilder({ access: cluster.kubeconfig }).build(request, context);

    const image = await readRegistryImage(registry.host, registry.auth, 'team/secret-app', repo.sha);
    expect(fileInImage(image, 'token.sha')?.trim()).toBe(createHash('sha256').update(secretValue).digest('hex'));
    expect(fileInImage(image, 'greeting.txt')).toBe('greeting=hello-plain\n');
    expect(image.manifest + image.config).not.toContain(secretValue);
    for (const layer of image.layers) expect(layer.includes(secretValue)).toBe(false);

    const names = buildObjectNames(request.buildId);
    const pod = created.find((o) => o.metadata.name === names.pod);
    const spec = pod?.spec as {
      initContainers: { volumeMounts: { name: string }[] }[];
      containers: { args: string[]; env: { value?: string }[]; volumeMounts: { name: string; mountPath: string }[] }[];
    };
    expect(JSON.stringify(spec)).not.toContain(secretValue);
    const buildkit = spec.containers[0]!;
    expect(buildkit.args.join(' ')).toContain('--secret id=TOKEN,src=/kiln/build-secrets/TOKEN');
    expect(buildkit.args.join(' ')).not.toContain('build-arg:TOKEN');
    expect(buildkit.volumeMounts).toContainEqual(expect.objectContaining({ name: 'build-secrets' }));
    // The clone step runs repository-controlled hooks; it never sees the build secrets.
    expect(spec.initContainers[0]!.volumeMounts.map((m) => m.name)).not.toContain('build-secrets');

    const secret = created.find((o) => o.metadata.name === names.secret);
    const data = (secret?.data ?? {}) as Record<string, string>;
    expect(Buffer.from(data['build-secret.TOKEN'] ?? '', 'base64').toString('utf8')).toBe(secretValue);
    expect(lines.join('\n')).not.toContain(secretValue);
    expect(cluster.store.list('secrets', 'kiln-builds')).toEqual([]);
  });
});
