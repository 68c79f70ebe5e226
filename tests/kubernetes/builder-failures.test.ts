import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BuildContext, BuildRequest } from '../../builders/builder';
import { createKubernetesBuilder } from '../../builders/kubernetes';
import type { FakeKubernetes, KubeObject } from '../support/fake-kubernetes';
import { startFakeKubernetes } from '../support/fake-kubernetes';
import type { GitServer } from '../support/git-server';
import { startGitServer } from '../support/git-server';
import { failureOf } from './failure';
import type { LogStream } from '../../domain/log-stream';

const token = 'glpat-builder-failures-token';
const isBuildPod = (pod: KubeObject) => pod.metadata.labels?.['app.kubernetes.io/component'] === 'build';

function recordingContext(signal = new AbortController().signal) {
  const lines: { stream: LogStream; line: string }[] = [];
  const context: BuildContext = {
    log: { write: (stream, line) => void lines.push({ stream, line }), flush: async () => {} },
    signal,
    heartbeat: () => {},
  };
  return { context, lines, text: () => lines.map((l) => l.line).join('\n') };
}

describe('Kubernetes builder: failures, cancel and cleanup (no image is built)', () => {
  let git: GitServer;
  let cluster: FakeKubernetes;
  let source: BuildRequest['source'];
  let counter = 0;

  const request = (overrides: Partial<BuildRequest> = {}): BuildRequest => ({
    buildId: `fail-${++counter}`,
    source,
    contextPath: '.',
    dockerfilePath: 'Dockerfile',
    buildArgs: {},
    images: ['127.0.0.1:1/team/app:abc'],
    registry: { host: '127.0.0.1:1', username: 'kiln', password: 'registry-pw', insecure: true },
    resources: { profile: 'medium', cpu: 2, memoryMiB: 4096, timeoutSeconds: 600 },
    ...overrides,
  });
  const builder = (options: Partial<Parameters<typeof createKubernetesBuilder>[0]> = {}) =>
    createKubernetesBuilder({ access: cluster.kubeconfig, pendingTimeoutMs: 20_000, ...options });

  beforeAll(async () => {
    git = await startGitServer({ username: 'oauth2', password: token });
    const repo = await git.createRepository('app', {
      Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\n',
      'hello.txt': 'hi\n',
    });
    source = { repositoryUrl: repo.url, sha: repo.sha, ref: 'refs/heads/main', token };
    cluster = await startFakeKubernetes({ namespaces: ['kiln-builds'] });
  });
  afterEach(async () => {
    // Every path must leave the builds namespace empty: no pods, no credential Secrets.
    await expect.poll(() => cluster.store.list('pods', 'kiln-builds').length, { timeout: 10_000 }).toBe(0);
    expect(cluster.store.list('secrets', 'kiln-builds')).toEqual([]);
    cluster.rbac.allowAll();
    cluster.kubelet.clearPlans();
  });
  afterAll(async () => {
    await cluster?.stop();
    await git?.stop();
  });

  it('maps OOMKilled to "Build ran out of memory … try a larger build profile"', async () => {
    cluster.kubelet.plan({ kind: 'oomKilled' }, isBuildPod);
    const { context, text } = recordingContext();
    const error = await failureOf(builder().build(request(), context));
    expect(error).toMatchObject({ type: 'BuildOutOfMemory' });
    expect(error.message).toBe(
      'Build ran out of memory: container "buildkit" was OOMKilled at its 4096 MiB limit (profile medium); try a larger build profile.',
    );
    expect(text()).toContain(`Checked out ${source.sha}`);
  });

  it('moves credentials written into the repository URL out of the pod spec and still clones with them', async () => {
    cluster.kubelet.plan({ kind: 'oomKilled' }, isBuildPod);
    const pods: KubeObject[] = [];
    const onChange = (event: { type: string; object: KubeObject }) => event.type === 'ADDED' && pods.push(event.object);
    cluster.store.on('change', onChange);
    const withCredentials = source.repositoryUrl.replace('http://', `http://oauth2:${token}@`);
    const { context, text } = recordingContext();
    const error = await failureOf(
      builder().build(request({ source: { ...source, repositoryUrl: withCredentials, token: undefined } }), context),
    );
    cluster.store.off('change', onChange);
    expect(error).toMatchObject({ type: 'BuildOutOfMemory' });
    expect(text()).toContain(`Checked out ${source.sha}`);
    expect(JSON.stringify(pods.map((p) => p.spec))).not.toContain(token);
    expect(text()).not.toContain(token);
  });

  it('replaces a pod and Secret left behind by an earlier attempt of the same build', async () => {
    const leftover = request();
    cluster.kubelet.plan({ kind: 'hang' }, isBuildPod);
    const names = { pod: `kiln-build-${leftover.buildId}`, secret: `kiln-build-${leftover.buildId}-creds` };
    cluster.store.create('pods', 'kiln-builds', {
      metadata: { name: names.pod, namespace: 'kiln-builds', labels: { 'app.kubernetes.io/component': 'build' } },
      spec: { containers: [{ name: 'buildkit', image: 'old' }] },
    });
    cluster.store.create('secrets', 'kiln-builds', {
      metadata: { name: names.secret, namespace: 'kiln-builds' },
      data: {},
    });
    cluster.kubelet.plan({ kind: 'oomKilled' }, isBuildPod);
    const error = await failureOf(builder().build(leftover, recordingContext().context));
    expect(error).toMatchObject({ type: 'BuildOutOfMemory' });
  });

  it('maps ImagePullBackOff of a builder image to a clear error', async () => {
    cluster.kubelet.plan({ kind: 'imagePullBackOff' }, isBuildPod);
    const error = await failureOf(
      builder({ gitImage: 'registry.internal/alpine/git:missing' }).build(request(), recordingContext().context),
    );
    expect(error).toMatchObject({ type: 'ImagePullBackOff' });
    expect(error.message).toContain(
      'ImagePullBackOff: the build pod cannot pull clone image "registry.internal/alpine/git:missing" (Back-off pulling image',
    );
  });

  it('maps a pod that stays Unschedulable to "Unschedulable" with the scheduler message', async () => {
    cluster.kubelet.plan(
      { kind: 'unschedulable', message: '0/3 nodes are available: 3 Insufficient memory.' },
      isBuildPod,
    );
    const error = await failureOf(
      builder({ pendingTimeoutMs: 400 }).build(
        request({ resources: { profile: '4x-large', cpu: 16, memoryMiB: 65536, timeoutSeconds: 600 } }),
        recordingContext().context,
      ),
    );
    expect(error).toMatchObject({ type: 'Unschedulable' });
    expect(error.message).toContain(
      'Unschedulable: no node can run the build pod (0/3 nodes are available: 3 Insufficient memory.). Choose a smaller build profile',
    );
  });

  it('maps activeDeadlineSeconds (the build timeout) to "Build timeout"', async () => {
    cluster.kubelet.plan({ kind: 'hang' }, isBuildPod);
    const error = await failureOf(
      builder().build(
        request({ resources: { profile: 'small', cpu: 1, memoryMiB: 1024, timeoutSeconds: 1 } }),
        recordingContext().context,
      ),
    );
    expect(error).toMatchObject({ type: 'BuildTimeout' });
    expect(error.message).toBe(
      "Build timeout: the build exceeded the worker's build time limit of 1 s (KILN_MAX_BUILD_SECONDS), shorter than the small profile's. Optimise the Dockerfile or ask the operator to raise the limit.",
    );
  });

  it('deletes the pod and its Secret when the user cancels', async () => {
    cluster.kubelet.plan({ kind: 'hang' }, isBuildPod);
    const cancel = new AbortController();
    const { context, lines } = recordingContext(cancel.signal);
    const running = builder().build(request(), context);
    running.catch(() => undefined); // asserted below; never left unhandled if an earlier step fails
    await expect.poll(() => lines.some((l) => l.line === 'Building with BuildKit…'), { timeout: 10_000 }).toBe(true);
    // The credentials Secret is owned by the pod, so it cannot outlive it even if this worker dies.
    const [pod] = cluster.store.list('pods', 'kiln-builds');
    const [secret] = cluster.store.list('secrets', 'kiln-builds');
    expect(secret?.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Pod', name: pod?.metadata.name, uid: pod?.metadata.uid },
    ]);
    const before = cluster.requests.length;
    cancel.abort(new Error('Build cancelled by user'));
    await expect(running).rejects.toThrow('Build cancelled by user');
    const calls = cluster.requests.slice(before);
    expect(calls.some((c) => /^DELETE \/api\/v1\/namespaces\/kiln-builds\/pods\/kiln-build-fail-\d+/.test(c))).toBe(
      true,
    );
    expect(
      calls.some((c) => /^DELETE \/api\/v1\/namespaces\/kiln-builds\/secrets\/kiln-build-fail-\d+-creds/.test(c)),
    ).toBe(true);
  });

  it('reports "Git clone failed" when the token cannot read the repository', async () => {
    const { context, text } = recordingContext();
    const revoked = { ...source, token: 'revoked-token', provider: 'gitlab' as const };
    const error = await failureOf(builder().build(request({ source: revoked }), context));
    expect(error).toMatchObject({ type: 'GitCloneFailed' });
    expect(error.message).toMatch(
      /^Git clone failed: could not fetch [0-9a-f]{12} from http:\/\/127\.0\.0\.1:\d+\/app\.git .*Check that the organization's GitLab token has read_repository access \(or api\)\.$/,
    );
    expect(text()).not.toContain('revoked-token');
  });

  it('advises GitHub permissions, never GitLab scopes, when a GitHub token cannot read the repository', async () => {
    const revoked = { ...source, token: 'revoked-token', provider: 'github' as const };
    const error = await failureOf(builder().build(request({ source: revoked }), recordingContext().context));
    expect(error).toMatchObject({ type: 'GitCloneFailed' });
    expect(error.message).toMatch(
      /^Git clone failed: could not fetch [0-9a-f]{12} .*Check that the organization's GitHub token may read this repository: Contents: read \(fine-grained\) or the repo scope \(classic\)\.$/,
    );
    expect(error.message).not.toContain('read_repository');
  });

  it('reports "Dockerfile not found" for a Dockerfile path that does not exist at the commit', async () => {
    const error = await failureOf(
      builder().build(request({ dockerfilePath: 'docker/Dockerfile.prod' }), recordingContext().context),
    );
    expect(error).toMatchObject({ type: 'DockerfileNotFound' });
    expect(error.message).toContain('Dockerfile not found: docker/Dockerfile.prod does not exist at commit');
  });

  it('reports Permission denied when Kiln may not create pods in the builds namespace', async () => {
    cluster.rbac.deny({ verb: 'create', resource: 'pods', namespace: 'kiln-builds' });
    await expect(builder().build(request(), recordingContext().context)).rejects.toMatchObject({
      type: 'PermissionDenied',
      message: expect.stringContaining(
        'Permission denied: system:serviceaccount:kiln:kiln-worker needs create on pods in namespace "kiln-builds"',
      ),
    });
  });

  it('deletes the pod again when its credentials Secret may not be created', async () => {
    cluster.rbac.deny({ verb: 'create', resource: 'secrets', namespace: 'kiln-builds' });
    await expect(builder().build(request(), recordingContext().context)).rejects.toMatchObject({
      type: 'PermissionDenied',
      message: expect.stringContaining('needs create on secrets in namespace "kiln-builds"'),
    });
  });

  it('reports Namespace not found when the builds namespace does not exist', async () => {
    await expect(
      builder({ namespace: 'no-builds-here' }).build(request(), recordingContext().context),
    ).rejects.toMatchObject({
      type: 'NamespaceNotFound',
      message: expect.stringContaining('Namespace not found: "no-builds-here"'),
    });
  });
});
