import type { V1Secret } from '@kubernetes/client-node';
import { CoreV1Api } from '@kubernetes/client-node';
import type { ClusterAccess } from './client';
import { loadKubeConfig } from './client';
import type { KubeOperation } from './errors';
import { isConflict, kubeStatus, translateKubernetesError } from './errors';
import { dockerConfigJson, imagePullSecretManifest } from './secret-manifests';
import type { RegistryAuth } from '../registry';

/** The cluster, namespace and registry credentials of a service's image-pull Secret. */
export interface EnsurePullSecretInput {
  kubeconfig: ClusterAccess | string;
  /** The service's deployment namespace (by default the service name). */
  namespace: string;
  serviceName: string;
  registry: RegistryAuth;
  /** Create the namespace when it does not exist (needs create on namespaces); otherwise "Namespace not found". */
  createNamespace?: boolean;
}

/** What happened to the pull Secret (and its namespace). */
export interface EnsurePullSecretResult {
  name: string;
  namespace: string;
  action: 'created' | 'updated' | 'unchanged';
  namespaceCreated: boolean;
}

const maxConflictRetries = 3;

/**
 * Makes `{serviceName}-registry-cred` (kubernetes.io/dockerconfigjson) in the service's namespace hold the
 * current registry credentials: created when missing, replaced in place when they changed. Creating first and
 * reading only on AlreadyExists keeps the permissions Kiln needs to create/get/update on secrets.
 */
export async function ensureImagePullSecret(input: EnsurePullSecretInput): Promise<EnsurePullSecretResult> {
  const core = loadKubeConfig(input.kubeconfig).makeApiClient(CoreV1Api);
  const { namespace } = input;
  const manifest = imagePullSecretManifest(input);
  const name = manifest.metadata!.name!;
  const op = (verb: KubeOperation['verb']): KubeOperation => ({ verb, resource: 'secrets', namespace });
  let namespaceCreated = false;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await core.createNamespacedSecret({ namespace, body: manifest });
      return { name, namespace, action: 'created', namespaceCreated };
    } catch (error) {
      const status = kubeStatus(error);
      const missingNamespace = status?.code === 404 && status.details?.kind === 'namespaces';
      if (missingNamespace && input.createNamespace !== false && !namespaceCreated) {
        await createNamespace(core, namespace);
        namespaceCreated = true;
        continue;
      }
      if (!isConflict(error)) throw translateKubernetesError(error, op('create'));
    }
    const outcome = await replaceIfChanged(core, manifest, input.registry, op);
    if (outcome !== 'conflict') return { name, namespace, action: outcome, namespaceCreated };
    if (attempt >= maxConflictRetries) {
      throw new Error(
        `Secret ${name} in namespace "${namespace}" kept changing while Kiln updated it; try saving again.`,
      );
    }
  }
}

async function createNamespace(core: CoreV1Api, namespace: string): Promise<void> {
  try {
    await core.createNamespace({
      body: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, labels: { 'app.kubernetes.io/managed-by': 'kiln' } },
      },
    });
  } catch (error) {
    if (isConflict(error)) return;
    throw translateKubernetesError(error, { verb: 'create', resource: 'namespaces' });
  }
}

/** Reads the existing Secret and PUTs the new credentials with its resourceVersion, unless they are the same. */
async function replaceIfChanged(
  core: CoreV1Api,
  manifest: V1Secret,
  registry: RegistryAuth,
  op: (verb: KubeOperation['verb']) => KubeOperation,
): Promise<'updated' | 'unchanged' | 'conflict'> {
  const namespace = manifest.metadata!.namespace!;
  const name = manifest.metadata!.name!;
  let existing: V1Secret;
  try {
    existing = await core.readNamespacedSecret({ name, namespace });
  } catch (error) {
    throw translateKubernetesError(error, op('get'));
  }
  const current = existing.data?.['.dockerconfigjson'];
  const wanted = dockerConfigJson(registry);
  if (existing.type === manifest.type && current && Buffer.from(current, 'base64').toString('utf8') === wanted)
    return 'unchanged';
  const body: V1Secret = {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      labels: { ...existing.metadata?.labels, ...manifest.metadata?.labels },
      resourceVersion: existing.metadata?.resourceVersion,
    },
  };
  try {
    await core.replaceNamespacedSecret({ name, namespace, body });
    return 'updated';
  } catch (error) {
    if (kubeStatus(error)?.reason === 'Conflict') return 'conflict';
    throw translateKubernetesError(error, op('update'));
  }
}
