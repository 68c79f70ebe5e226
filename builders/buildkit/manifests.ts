import type { V1Pod, V1Toleration } from '@kubernetes/client-node';
import type { BuildRequest } from '../builder';
import { buildkitContainer, buildVolumes, cloneContainer, rootlessUser } from './build-containers';
import { labelValue, managedBy } from '../../clients/kubernetes/labels';

/** The label on every pod and Secret of a build, so they are found (and cleaned up) by build id. */
export const buildIdLabel = 'kiln.dev/build-id';

/** Pod and Secret names for a build: DNS labels, unique per build id. */
export function buildObjectNames(buildId: string): { pod: string; secret: string } {
  const id =
    buildId
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'build';
  return { pod: `kiln-build-${id}`, secret: `kiln-build-${id}-creds` };
}

/** Where build pods run and what they are made of; chosen once per cluster. */
export interface BuildPodOptions {
  namespace: string;
  buildkitImage: string;
  gitImage: string;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
}

/**
 * One build as a Pod: an init container fetches exactly `sha` into an emptyDir, then rootless BuildKit
 * (daemonless) builds and pushes. Settings follow BuildKit's rootless Kubernetes examples: seccomp and AppArmor
 * unconfined, uid 1000, `--oci-worker-no-process-sandbox`. No service-account token is mounted.
 */
export function buildPodManifest(request: BuildRequest, options: BuildPodOptions): V1Pod {
  const names = buildObjectNames(request.buildId);
  const { timeoutSeconds, profile } = request.resources;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: names.pod,
      namespace: options.namespace,
      labels: {
        ...managedBy,
        'app.kubernetes.io/name': 'kiln-build',
        'app.kubernetes.io/component': 'build',
        [buildIdLabel]: labelValue(request.buildId),
        'kiln.dev/build-profile': profile,
      },
      annotations: {
        [buildIdLabel]: request.buildId,
        'kiln.dev/commit': request.source.sha,
        'container.apparmor.security.beta.kubernetes.io/buildkit': 'unconfined',
      },
    },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      activeDeadlineSeconds: timeoutSeconds,
      securityContext: { fsGroup: rootlessUser },
      ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
      ...(options.tolerations ? { tolerations: options.tolerations } : {}),
      initContainers: [cloneContainer(request, options.gitImage)],
      containers: [buildkitContainer(request, options.buildkitImage)],
      volumes: buildVolumes(request, names.secret),
    },
  };
}
