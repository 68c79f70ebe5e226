/** What the fake knows about each resource it serves, as the real discovery documents describe them. */
export interface ResourceInfo {
  resource: string;
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
}

export const resources: Record<string, ResourceInfo> = {
  namespaces: { resource: 'namespaces', group: '', version: 'v1', kind: 'Namespace', namespaced: false },
  secrets: { resource: 'secrets', group: '', version: 'v1', kind: 'Secret', namespaced: true },
  pods: { resource: 'pods', group: '', version: 'v1', kind: 'Pod', namespaced: true },
  services: { resource: 'services', group: '', version: 'v1', kind: 'Service', namespaced: true },
  deployments: { resource: 'deployments', group: 'apps', version: 'v1', kind: 'Deployment', namespaced: true },
};

/** `apps/v1` or `v1`. */
export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** `deployments.apps` / `secrets`: how the API server names a resource in messages. */
export function qualified(info: ResourceInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

/** A metav1.Status failure body with the HTTP code it travels with. */
export interface StatusFailure {
  code: number;
  body: {
    kind: 'Status';
    apiVersion: 'v1';
    metadata: Record<string, never>;
    status: 'Failure';
    message: string;
    reason: string;
    details?: Record<string, unknown>;
    code: number;
  };
}

export function statusFailure(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): StatusFailure {
  return {
    code,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code },
  };
}

function details(info: ResourceInfo, name?: string): Record<string, unknown> {
  return { ...(name ? { name } : {}), ...(info.group ? { group: info.group } : {}), kind: info.resource };
}

export function notFound(info: ResourceInfo, name: string): StatusFailure {
  return statusFailure(404, 'NotFound', `${qualified(info)} "${name}" not found`, details(info, name));
}

export function alreadyExists(info: ResourceInfo, name: string): StatusFailure {
  return statusFailure(409, 'AlreadyExists', `${qualified(info)} "${name}" already exists`, details(info, name));
}

export function conflict(info: ResourceInfo, name: string): StatusFailure {
  const message =
    `Operation cannot be fulfilled on ${qualified(info)} "${name}": the object has been modified; ` +
    'please apply your changes to the latest version and try again';
  return statusFailure(409, 'Conflict', message, details(info, name));
}

/** 422 with one cause, e.g. an invalid name or a missing required key. */
export function invalid(info: ResourceInfo, name: string, field: string, problem: string): StatusFailure {
  const message = `${info.kind} "${name}" is invalid: ${field}: ${problem}`;
  return statusFailure(422, 'Invalid', message, {
    name,
    ...(info.group ? { group: info.group } : {}),
    kind: info.kind,
    causes: [{ reason: 'FieldValueInvalid', message: problem, field }],
  });
}

/** The exact shape RBAC denials have, e.g. `secrets is forbidden: User "…" cannot create resource "secrets" …`. */
export function forbidden(
  info: ResourceInfo,
  user: string,
  verb: string,
  subresource: string | undefined,
  namespace: string | undefined,
  name?: string,
): StatusFailure {
  const target = name ? `${qualified(info)} "${name}"` : qualified(info);
  const resourceName = subresource ? `${info.resource}/${subresource}` : info.resource;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const message =
    `${target} is forbidden: User "${user}" cannot ${verb} resource "${resourceName}" in API group ` +
    `"${info.group}" ${scope}`;
  return statusFailure(403, 'Forbidden', message, details(info, name));
}

export function badRequest(message: string): StatusFailure {
  return statusFailure(400, 'BadRequest', message);
}

export function unauthorized(): StatusFailure {
  return statusFailure(401, 'Unauthorized', 'Unauthorized');
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The API server's name rules: namespaces and services are DNS labels, the rest DNS subdomains. */
export function nameProblem(info: ResourceInfo, name: string): string | undefined {
  const label = info.resource === 'namespaces' || info.resource === 'services';
  const pattern = label ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
  const limit = label ? 63 : 253;
  if (name.length > 0 && name.length <= limit && pattern.test(name)) return undefined;
  const kind = label ? 'RFC 1123 label' : 'RFC 1123 subdomain';
  return `Invalid value: "${name}": a lowercase ${kind} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`;
}
