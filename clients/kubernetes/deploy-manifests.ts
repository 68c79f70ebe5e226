import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { pullSecretName } from './secret-manifests';
import { managedBy } from './labels';

/** What a service's workload looks like; the image is always pinned by digest. */
export interface WorkloadSpec {
  namespace: string;
  serviceName: string;
  /** `host/project/name@sha256:…` */
  image: string;
  port?: number;
  replicas?: number;
  env?: Record<string, string>;
  /** Kiln build that produced the image, recorded as an annotation. */
  buildId?: string;
  progressDeadlineSeconds?: number;
}

/** The selector labels: stable across releases, so a new template rolls the same pods. */
export function selectorLabels(serviceName: string): Record<string, string> {
  return { 'app.kubernetes.io/name': serviceName, 'app.kubernetes.io/instance': serviceName };
}

/** `host/repo:tag@sha256:…` or `host/repo:tag` + digest → `host/repo@sha256:…`. */
export function pinnedImage(reference: string, digest?: string): string {
  const at = reference.indexOf('@');
  const base = at >= 0 ? reference.slice(0, at) : reference;
  const lastSlash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  const repository = colon > lastSlash ? base.slice(0, colon) : base;
  const pinned = digest ?? (at >= 0 ? reference.slice(at + 1) : undefined);
  if (!pinned?.startsWith('sha256:')) throw new Error(`Image ${reference} is not pinned by a sha256 digest.`);
  return `${repository}@${pinned}`;
}

/** The service's Deployment: digest-pinned image, the registry pull Secret, app.kubernetes.io labels. */
export function deploymentManifest(spec: WorkloadSpec): V1Deployment {
  const labels = {
    ...selectorLabels(spec.serviceName),
    ...managedBy,
    'app.kubernetes.io/version': spec.image.split('@sha256:')[1]?.slice(0, 12) ?? 'unknown',
  };
  const annotations = spec.buildId ? { 'kiln.dev/build-id': spec.buildId } : undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.serviceName, namespace: spec.namespace, labels, ...(annotations ? { annotations } : {}) },
    spec: {
      replicas: spec.replicas ?? 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: spec.progressDeadlineSeconds ?? 600,
      selector: { matchLabels: selectorLabels(spec.serviceName) },
      template: {
        metadata: { labels, ...(annotations ? { annotations } : {}) },
        spec: {
          imagePullSecrets: [{ name: pullSecretName(spec.serviceName) }],
          containers: [
            {
              name: spec.serviceName,
              image: spec.image,
              ...(spec.port ? { ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }] } : {}),
              env: Object.entries(spec.env ?? {}).map(([name, value]) => ({ name, value })),
            },
          ],
        },
      },
    },
  };
}

/** A ClusterIP Service in front of the Deployment, only when the service has a port. */
export function serviceManifest(spec: WorkloadSpec & { port: number }): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: spec.serviceName,
      namespace: spec.namespace,
      labels: { ...selectorLabels(spec.serviceName), ...managedBy },
    },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(spec.serviceName),
      ports: [{ name: 'http', port: spec.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}
