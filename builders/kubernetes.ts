import type { V1Pod, V1Toleration } from '@kubernetes/client-node';
import { CoreV1Api } from '@kubernetes/client-node';
import type { ClusterAccess } from '../clients/kubernetes/client';
import { loadKubeConfig } from '../clients/kubernetes/client';
import { createFresh } from '../clients/kubernetes/create-fresh';
import { isNotFound } from '../clients/kubernetes/errors';
import { buildObjectNames, buildPodManifest } from './buildkit/manifests';
import { getManifestDigest } from '../clients/registry';
import { watchBuildPod } from './buildkit/build-pod-run';
import type { BuildContext, BuildOutput, BuildRequest, BuilderDriver } from './builder';
import { validateBuildArgs } from './request-checks';
import { parseImageReference } from '../domain/image-name';
import { buildSecretManifest } from './buildkit/build-secret';

/** Cluster-wide settings of the Kubernetes builder, read once at worker start. */
export interface KubernetesBuilderOptions {
  access: ClusterAccess | string;
  /** Namespace build pods run in. */
  namespace?: string;
  /** Rootless BuildKit image, e.g. `moby/buildkit:v0.23.2-rootless`. */
  buildkitImage?: string;
  /** Image with git and sh for the clone init container, e.g. `alpine/git:2.47.2`. */
  gitImage?: string;
  /** Username sent with the git token (GitLab accepts `oauth2`, GitHub any name). */
  gitUsername?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  /** A pod still Pending after this long fails as Unschedulable / stuck (default 5 minutes). */
  pendingTimeoutMs?: number;
  heartbeatIntervalMs?: number;
}

const defaults = {
  namespace: 'kiln-builds',
  buildkitImage: 'moby/buildkit:v0.23.2-rootless',
  gitImage: 'alpine/git:2.47.2',
  gitUsername: 'oauth2',
  pendingTimeoutMs: 5 * 60_000,
  heartbeatIntervalMs: 10_000,
};

/**
 * Builds in one BuildKit pod per build in the builds namespace: a per-build Secret carries the git token and
 * registry auth, the pod's logs are followed into the build log, failures are mapped to build errors, and pod
 * and Secret are deleted afterwards — also when the user cancels.
 */
export function createKubernetesBuilder(options: KubernetesBuilderOptions): BuilderDriver {
  const settings = { ...defaults, ...withoutUndefined(options) };
  const kc = loadKubeConfig(options.access);
  const core = kc.makeApiClient(CoreV1Api);
  return {
    name: 'kubernetes',
    async build(original: BuildRequest, context: BuildContext): Promise<BuildOutput> {
      validateBuildArgs(original.buildArgs, original.secretBuildArgs);
      const { request, gitUsername } = separateCredentials(original, settings.gitUsername);
      const { namespace } = settings;
      const names = buildObjectNames(request.buildId);
      const heartbeat = setInterval(() => context.heartbeat({ pod: names.pod }), settings.heartbeatIntervalMs);
      try {
        const pod = buildPodManifest(request, { ...settings, namespace });
        await createBuildObjects(core, request, { ...settings, gitUsername }, pod);
        const { cpu, memoryMiB, profile } = request.resources;
        context.log.write(
          'system',
          `Build pod ${names.pod} created in namespace ${namespace} (profile ${profile}: ${cpu} CPU, ${memoryMiB} MiB).`,
        );
        await watchBuildPod({
          kc,
          namespace,
          pod: names.pod,
          request,
          context,
          pendingTimeoutMs: settings.pendingTimeoutMs,
        });
        return await readBackDigest(request, context);
      } finally {
        clearInterval(heartbeat);
        await deleteBuildObjects(core, namespace, names, context);
      }
    },
  };
}

/**
 * Pod first, then its credentials Secret owned by the pod (the kubelet waits for the Secret to mount), so a
 * Secret can never outlive its pod — even if this worker dies before cleanup.
 */
async function createBuildObjects(
  core: CoreV1Api,
  request: BuildRequest,
  settings: typeof defaults,
  pod: V1Pod,
): Promise<void> {
  const { namespace, gitUsername } = settings;
  const name = pod.metadata?.name ?? '';
  const created = await createFresh(
    { verb: 'create', resource: 'pods', namespace },
    () => core.createNamespacedPod({ namespace, body: pod }),
    () => core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 }),
  );
  const owner = { name: created.metadata?.name ?? '', uid: created.metadata?.uid ?? '' };
  const { token } = request.source;
  const secret = buildSecretManifest({
    namespace,
    buildId: request.buildId,
    gitUsername,
    token,
    registry: request.registry,
    secretBuildArgs: request.secretBuildArgs,
    wizardDockerfile: request.wizardDockerfile,
    owner,
  });
  await createFresh(
    { verb: 'create', resource: 'secrets', namespace },
    () => core.createNamespacedSecret({ namespace, body: secret }),
    () => core.deleteNamespacedSecret({ namespace, name: secret.metadata?.name ?? '' }),
  );
}

/** BuildKit pushed the image; the registry's own answer is the digest Kiln records and deploys. */
async function readBackDigest(request: BuildRequest, context: BuildContext): Promise<BuildOutput> {
  context.phase?.('push');
  const canonical = request.images[0];
  if (!canonical) throw new Error('BuildRequest.images is empty: there is nothing to push.');
  const { repository, tag } = parseImageReference(canonical);
  const digest = await getManifestDigest(request.registry, repository, tag);
  context.log.write('system', `Pushed ${request.images.join(', ')} (${digest}).`);
  return { digest, images: request.images };
}

/** Removes the build pod at once (no grace period: nothing in it needs to shut down cleanly) and its Secret. */
async function deleteBuildObjects(
  core: CoreV1Api,
  namespace: string,
  names: { pod: string; secret: string },
  context: BuildContext,
): Promise<void> {
  const attempts: [string, () => Promise<unknown>][] = [
    ['pods', () => core.deleteNamespacedPod({ name: names.pod, namespace, gracePeriodSeconds: 0 })],
    ['secrets', () => core.deleteNamespacedSecret({ name: names.secret, namespace })],
  ];
  for (const [resource, remove] of attempts) {
    try {
      await remove();
    } catch (error) {
      if (isNotFound(error)) continue;
      context.log.write(
        'system',
        `Could not delete build ${resource} in ${namespace}; the cluster administrator may need to remove it (${(error as Error).message.split('\n')[0]}).`,
      );
    }
  }
}

/** Credentials written into the repository URL move to the Secret: the URL lands in the pod spec and the log. */
function separateCredentials(
  request: BuildRequest,
  gitUsername: string,
): { request: BuildRequest; gitUsername: string } {
  let url: URL;
  try {
    url = new URL(request.source.repositoryUrl);
  } catch {
    return { request, gitUsername };
  }
  if (!url.username && !url.password) return { request, gitUsername };
  const username = decodeURIComponent(url.username);
  const token = request.source.token ?? (decodeURIComponent(url.password) || undefined);
  url.username = '';
  url.password = '';
  const source = { ...request.source, repositoryUrl: url.toString(), token };
  return { request: { ...request, source }, gitUsername: username && !request.source.token ? username : gitUsername };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
