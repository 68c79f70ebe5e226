import { AuthorizationV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import { parseDataKubeconfig } from '../../domain/kubeconfig';
import { kubeStatus } from './errors';
import { BuildErrorType, buildFailure } from '../../domain/build-error';

/**
 * How Kiln reaches one cluster: a tenant's kubeconfig (stored encrypted, decrypted by the caller just before use;
 * data only, checked again here), the in-cluster service account when Kiln's worker runs inside the target
 * cluster, or the operator's own kubeconfig file (`KILN_BUILD_KUBECONFIG`: trusted, so exec plugins and file
 * paths work there as in kubectl).
 */
export type ClusterAccess =
  { kubeconfig: string; context?: string | null } | { inCluster: true } | { operatorKubeconfigFile: string };

/** Builds a KubeConfig; a kubeconfig that does not parse, names no cluster or is not data only is a ConfigurationError. */
export function loadKubeConfig(access: ClusterAccess | string): KubeConfig {
  const kc = new KubeConfig();
  const resolved = typeof access === 'string' ? { kubeconfig: access } : access;
  if ('operatorKubeconfigFile' in resolved) {
    kc.loadFromFile(resolved.operatorKubeconfigFile);
    return kc;
  }
  if ('inCluster' in resolved) {
    kc.loadFromCluster();
    // Outside a pod the service-host variables are missing and client-node builds `https://undefined:undefined`.
    if (kc.getCurrentCluster()?.server.includes('undefined')) {
      throw buildFailure(
        BuildErrorType.ConfigurationError,
        'In-cluster access only works when Kiln runs inside a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set). Use a kubeconfig for this runtime environment instead.',
      );
    }
    return kc;
  }
  // Checked before client-node sees it: loading alone would read `token-file` and later run `exec`.
  const checked = parseDataKubeconfig(resolved.kubeconfig);
  if ('error' in checked) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      checked.invalidYaml
        ? `Invalid kubeconfig: ${checked.error}. Paste the full kubeconfig YAML again.`
        : `Refusing to use this kubeconfig: ${checked.error} An organization admin pastes a data-only kubeconfig in Runtime Environments.`,
    );
  }
  try {
    kc.loadFromString(checked.json);
    // The runtime environment may name a context other than the file's current-context.
    if (resolved.context) {
      if (!kc.getContextObject(resolved.context)) throw new Error(`it has no context named "${resolved.context}"`);
      kc.setCurrentContext(resolved.context);
    }
  } catch (error) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      `Invalid kubeconfig: ${(error as Error).message}. Paste the full kubeconfig YAML again.`,
    );
  }
  if (!kc.getCurrentCluster()) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      'Invalid kubeconfig: its current-context names no cluster. Set current-context or paste a kubeconfig with one context.',
    );
  }
  return kc;
}

/** One permission Kiln needs, checked with a SelfSubjectAccessReview. */
export interface PermissionCheck {
  verb: string;
  resource: string;
  namespace?: string;
  group?: string;
  subresource?: string;
}

/** What a cluster check found: whether the API answered, its version and the permissions missing. */
export interface ConnectivityResult {
  ok: boolean;
  /** `v1.30.2` when the API answered. */
  version?: string;
  message: string;
  /** Permissions that were checked and are missing, as `verb resource in namespace`. */
  missing?: string[];
}

/** The permissions a build and a deploy need; the connectivity check asks the API server about each. */
export function requiredPermissions(buildNamespace: string, serviceNamespace?: string): PermissionCheck[] {
  const checks: PermissionCheck[] = [
    { verb: 'create', resource: 'pods', namespace: buildNamespace },
    { verb: 'get', resource: 'pods', subresource: 'log', namespace: buildNamespace },
    { verb: 'create', resource: 'secrets', namespace: buildNamespace },
  ];
  if (serviceNamespace) {
    checks.push(
      { verb: 'create', resource: 'secrets', namespace: serviceNamespace },
      { verb: 'create', resource: 'deployments', group: 'apps', namespace: serviceNamespace },
    );
  }
  return checks;
}

/**
 * Answers "can Kiln use this cluster?": GET /version proves reachability and credentials, then each
 * `permissions` entry is asked through SelfSubjectAccessReview. Never throws; the message says what to fix.
 */
export async function checkClusterConnectivity(
  access: ClusterAccess | string,
  permissions: PermissionCheck[] = [],
): Promise<ConnectivityResult> {
  let kc: KubeConfig;
  try {
    kc = loadKubeConfig(access);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const server = kc.getCurrentCluster()?.server ?? 'the in-cluster API';
  let version: string;
  try {
    version = (await kc.makeApiClient(VersionApi).getCode()).gitVersion;
  } catch (error) {
    return { ok: false, message: describeConnectError(server, error) };
  }
  const missing: string[] = [];
  const authorization = kc.makeApiClient(AuthorizationV1Api);
  for (const check of permissions) {
    const review = await authorization.createSelfSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: check },
      },
    });
    if (!review.status?.allowed) {
      const resource = check.subresource ? `${check.resource}/${check.subresource}` : check.resource;
      missing.push(`${check.verb} ${resource} in ${check.namespace ?? 'the cluster'}`);
    }
  }
  if (missing.length > 0) {
    return {
      ok: false,
      version,
      missing,
      message: `Connected to Kubernetes ${version}, but Permission denied: Kiln needs ${missing.join('; ')}. Apply Kiln's RBAC manifests (deploy/) or ask the cluster administrator.`,
    };
  }
  return { ok: true, version, message: `Connected to Kubernetes ${version} at ${server}.` };
}

function describeConnectError(server: string, error: unknown): string {
  const status = kubeStatus(error);
  if (status?.code === 401)
    return `The cluster at ${server} rejected the credentials (401 Unauthorized). Update the kubeconfig's token or certificate.`;
  if (status?.code === 403) return `The cluster at ${server} denied access (403 Forbidden): ${status.message ?? ''}`;
  if (status) return `The cluster at ${server} answered ${status.code}: ${status.message ?? status.reason ?? ''}`;
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
  return `Cannot reach the cluster at ${server} (${cause}). Check the server address in the kubeconfig and the network/firewall.`;
}
