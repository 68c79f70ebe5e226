import type { ApplicationFailure } from '@temporalio/common';
import { BuildErrorType, buildFailure } from '../../domain/build-error';

/** The metav1.Status fields Kiln reads from a failed Kubernetes API call. */
export interface KubeStatus {
  code: number;
  reason?: string;
  message?: string;
  details?: { name?: string; kind?: string; group?: string };
}

/** What Kiln was doing, so a denial or a missing namespace can be explained in the user's terms. */
export interface KubeOperation {
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'delete';
  resource: string;
  namespace?: string;
}

/** The Status of a failed call: from client-node's ApiException (body is JSON text) or a watch error. */
export function kubeStatus(error: unknown): KubeStatus | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, body, statusCode } = error as { code?: unknown; body?: unknown; statusCode?: unknown };
  const httpCode = typeof code === 'number' ? code : typeof statusCode === 'number' ? statusCode : undefined;
  if (httpCode === undefined) return undefined;
  let parsed: Partial<KubeStatus> = {};
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body) as Partial<KubeStatus>;
    } catch {
      parsed = { message: body };
    }
  } else if (typeof body === 'object' && body !== null) parsed = body as Partial<KubeStatus>;
  return { ...parsed, code: httpCode };
}

/** True when the Kubernetes API answered 404 (the object does not exist). */
export function isNotFound(error: unknown): boolean {
  return kubeStatus(error)?.code === 404;
}

/** True when the Kubernetes API answered 409 (already exists, or changed since it was read). */
export function isConflict(error: unknown): boolean {
  return kubeStatus(error)?.code === 409;
}

/** Who the API server says Kiln is (`system:serviceaccount:kiln:kiln-worker`), read from a Forbidden message. */
function subjectOf(status: KubeStatus): string {
  return status.message?.match(/User "([^"]+)"/)?.[1] ?? "Kiln's service account";
}

/** Network failures (connection refused, DNS, TLS) carry their cause's code on `cause`. */
function networkCause(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code ?? cause?.message;
}

/**
 * The one translation of Kubernetes API failures into build errors users understand. Denials and missing
 * namespaces are permanent (the administrator has to act); an unreachable cluster is left retryable.
 */
export function translateKubernetesError(error: unknown, op: KubeOperation): ApplicationFailure | Error {
  const status = kubeStatus(error);
  const where = op.namespace ? `in namespace "${op.namespace}"` : 'at cluster scope';
  if (!status) {
    const cause = networkCause(error) ?? (error instanceof Error ? error.message : String(error));
    return new Error(
      `Cannot reach the Kubernetes API (${cause}) while trying to ${op.verb} ${op.resource} ${where}. Check the cluster connection.`,
    );
  }
  if (status.code === 403) {
    return buildFailure(
      BuildErrorType.PermissionDenied,
      `Permission denied: ${subjectOf(status)} needs ${op.verb} on ${op.resource} ${where}. ` +
        `Ask the cluster administrator to grant it (Kiln's RBAC manifests are in deploy/).`,
    );
  }
  if (status.code === 401) {
    return buildFailure(
      BuildErrorType.PermissionDenied,
      "The cluster rejected Kiln's credentials (401 Unauthorized). Update the kubeconfig of this runtime environment.",
    );
  }
  if (status.code === 404 && status.details?.kind === 'namespaces') {
    const namespace = status.details.name ?? op.namespace ?? '';
    return buildFailure(
      BuildErrorType.NamespaceNotFound,
      `Namespace not found: "${namespace}" does not exist on the cluster. Create the namespace first or select a different namespace.`,
    );
  }
  if (status.code === 422 || status.code === 400) {
    return buildFailure(
      BuildErrorType.ConfigurationError,
      `Kubernetes refused to ${op.verb} ${op.resource} ${where}: ${status.message ?? status.reason ?? 'invalid request'}.`,
    );
  }
  return new Error(
    `Kubernetes API error ${status.code} (${status.reason ?? 'unknown'}) while trying to ${op.verb} ${op.resource} ${where}: ${status.message ?? ''}`,
  );
}

/** Runs one API call and translates its failure; `op` names what was attempted. */
export async function kubeCall<T>(op: KubeOperation, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateKubernetesError(error, op);
  }
}
