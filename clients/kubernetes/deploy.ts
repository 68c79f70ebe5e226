import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { ClusterAccess } from './client';
import { loadKubeConfig } from './client';
import type { WorkloadSpec } from './deploy-manifests';
import { deploymentManifest, pinnedImage, selectorLabels, serviceManifest } from './deploy-manifests';
import { isConflict, isNotFound, translateKubernetesError } from './errors';
import { pullSecretName } from './secret-manifests';
import { rolloutState, waitForRollout } from './rollout';

/** A service's workload to deploy, the cluster to deploy it to, and how long its rollout may take. */
export interface DeployServiceInput extends Omit<WorkloadSpec, 'image'> {
  kubeconfig: ClusterAccess | string;
  /** The pushed image: `host/repo@sha256:…`, or `host/repo:tag` together with `digest`. */
  image: string;
  digest?: string;
  /** How long the rollout may take before the Deploy step fails (default 300). */
  timeoutSeconds?: number;
  signal?: AbortSignal;
  /** Rollout progress ("1 of 2 replicas updated"); a Temporal activity heartbeats here. */
  onProgress?(message: string): void;
}

/** What a deploy left on the cluster. */
export interface DeployServiceResult {
  namespace: string;
  deployment: string;
  /** The digest-pinned image now running. */
  image: string;
  generation: number;
  availableReplicas: number;
  action: 'created' | 'updated';
  service?: 'created' | 'updated';
}

const maxConflictRetries = 3;

/**
 * Creates or updates the service's Deployment (and Service when a port is set) with the image pinned by
 * digest, then waits for the rollout. A rollout that fails or times out is a DeployFailed with the pods' reason.
 */
export async function deployService(input: DeployServiceInput): Promise<DeployServiceResult> {
  const kc = loadKubeConfig(input.kubeconfig);
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const spec: WorkloadSpec = { ...input, image: pinnedImage(input.image, input.digest) };
  const { deployment, action } = await applyDeployment(apps, deploymentManifest(spec));
  const service = spec.port ? await applyService(core, serviceManifest({ ...spec, port: spec.port })) : undefined;
  const done = await waitForRollout({
    kc,
    apps,
    core,
    namespace: spec.namespace,
    name: spec.serviceName,
    generation: deployment.metadata?.generation ?? 1,
    selector: Object.entries(selectorLabels(spec.serviceName))
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    pullSecretName: pullSecretName(spec.serviceName),
    timeoutMs: (input.timeoutSeconds ?? 300) * 1000,
    signal: input.signal,
    onProgress: input.onProgress,
  });
  return {
    namespace: spec.namespace,
    deployment: spec.serviceName,
    image: spec.image,
    generation: deployment.metadata?.generation ?? 1,
    availableReplicas: done.status?.availableReplicas ?? 0,
    action,
    ...(service ? { service } : {}),
  };
}

/** What the service's Deploy/Operate stages show. */
export interface DeploymentStatus {
  state: 'NotDeployed' | 'Progressing' | 'Available' | 'Failed';
  image?: string;
  availableReplicas: number;
  replicas: number;
  message?: string;
}

/** Reads the Deployment once (no waiting) for the Operate stage. */
export async function getDeploymentStatus(input: {
  kubeconfig: ClusterAccess | string;
  namespace: string;
  serviceName: string;
}): Promise<DeploymentStatus> {
  const apps = loadKubeConfig(input.kubeconfig).makeApiClient(AppsV1Api);
  let deployment: V1Deployment;
  try {
    deployment = await apps.readNamespacedDeployment({ name: input.serviceName, namespace: input.namespace });
  } catch (error) {
    if (isNotFound(error)) return { state: 'NotDeployed', availableReplicas: 0, replicas: 0 };
    throw translateKubernetesError(error, { verb: 'get', resource: 'deployments', namespace: input.namespace });
  }
  const rollout = rolloutState(deployment, deployment.metadata?.generation ?? 1);
  const state = rollout.done ? 'Available' : rollout.failed ? 'Failed' : 'Progressing';
  return {
    state,
    image: deployment.spec?.template.spec?.containers[0]?.image,
    availableReplicas: deployment.status?.availableReplicas ?? 0,
    replicas: deployment.spec?.replicas ?? 1,
    ...(rollout.done ? {} : { message: rollout.failed ?? rollout.waiting }),
  };
}

/** Create, or replace with the current resourceVersion; a concurrent change (409) is retried a few times. */
async function applyDeployment(
  apps: AppsV1Api,
  body: V1Deployment,
): Promise<{ deployment: V1Deployment; action: 'created' | 'updated' }> {
  const namespace = body.metadata!.namespace!;
  const name = body.metadata!.name!;
  const op = (verb: 'get' | 'create' | 'update') => ({ verb, resource: 'deployments', namespace });
  for (let attempt = 0; ; attempt += 1) {
    let existing: V1Deployment | undefined;
    try {
      existing = await apps.readNamespacedDeployment({ name, namespace });
    } catch (error) {
      if (!isNotFound(error)) throw translateKubernetesError(error, op('get'));
    }
    try {
      if (!existing)
        return { deployment: await apps.createNamespacedDeployment({ namespace, body }), action: 'created' };
      const replacement = {
        ...body,
        metadata: { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion },
      };
      return {
        deployment: await apps.replaceNamespacedDeployment({ name, namespace, body: replacement }),
        action: 'updated',
      };
    } catch (error) {
      if (!isConflict(error) || attempt >= maxConflictRetries)
        throw translateKubernetesError(error, op(existing ? 'update' : 'create'));
    }
  }
}

async function applyService(core: CoreV1Api, body: V1Service): Promise<'created' | 'updated'> {
  const namespace = body.metadata!.namespace!;
  const name = body.metadata!.name!;
  const op = (verb: 'get' | 'create' | 'update') => ({ verb, resource: 'services', namespace });
  for (let attempt = 0; ; attempt += 1) {
    let existing: V1Service | undefined;
    try {
      existing = await core.readNamespacedService({ name, namespace });
    } catch (error) {
      if (!isNotFound(error)) throw translateKubernetesError(error, op('get'));
    }
    try {
      if (!existing) {
        await core.createNamespacedService({ namespace, body });
        return 'created';
      }
      // clusterIP is immutable and assigned by the cluster: carry it over.
      const spec = { ...body.spec, clusterIP: existing.spec?.clusterIP, clusterIPs: existing.spec?.clusterIPs };
      await core.replaceNamespacedService({
        name,
        namespace,
        body: { ...body, spec, metadata: { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion } },
      });
      return 'updated';
    } catch (error) {
      if (!isConflict(error) || attempt >= maxConflictRetries)
        throw translateKubernetesError(error, op(existing ? 'update' : 'create'));
    }
  }
}
