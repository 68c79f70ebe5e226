import type { KubeObject } from './store';
import type { ResourceInfo, StatusFailure } from './status';
import { invalid } from './status';

type Spec = Record<string, unknown>;

/** What the API server does to a Secret on write: `stringData` is folded into base64 `data`, types are checked. */
function admitSecret(
  info: ResourceInfo,
  object: KubeObject,
  previous: KubeObject | undefined,
): StatusFailure | undefined {
  const data = { ...((object.data as Record<string, string> | undefined) ?? {}) };
  for (const [k, v] of Object.entries((object.stringData as Record<string, string> | undefined) ?? {})) {
    data[k] = Buffer.from(v).toString('base64');
  }
  delete object.stringData;
  object.data = data;
  object.type ??= 'Opaque';
  if (previous && previous.type !== object.type) {
    return invalid(info, object.metadata.name, 'type', `Invalid value: "${String(object.type)}": field is immutable`);
  }
  if (object.type === 'kubernetes.io/dockerconfigjson') {
    const raw = data['.dockerconfigjson'];
    if (raw === undefined) return invalid(info, object.metadata.name, 'data[.dockerconfigjson]', 'Required value');
    try {
      JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    } catch {
      return invalid(
        info,
        object.metadata.name,
        'data[.dockerconfigjson]',
        'Invalid value: "<secret contents redacted>": invalid character',
      );
    }
  }
  return undefined;
}

/** Deployments: generation counts spec changes; status is only written through /status. */
function admitDeployment(object: KubeObject, previous: KubeObject | undefined): void {
  if (!previous) {
    object.metadata.generation = 1;
    object.status = {};
    return;
  }
  const changed = JSON.stringify(object.spec) !== JSON.stringify(previous.spec);
  object.metadata.generation = (previous.metadata.generation ?? 1) + (changed ? 1 : 0);
  object.status = previous.status;
}

let nextClusterIp = 10;

/** Services get a cluster IP once; it is immutable afterwards. */
function admitService(
  info: ResourceInfo,
  object: KubeObject,
  previous: KubeObject | undefined,
): StatusFailure | undefined {
  const spec = (object.spec ?? {}) as Spec;
  object.spec = spec;
  const previousIp = (previous?.spec as Spec | undefined)?.clusterIP as string | undefined;
  if (previousIp && spec.clusterIP && spec.clusterIP !== previousIp) {
    return invalid(info, object.metadata.name, 'spec.clusterIPs[0]', 'Invalid value: field is immutable');
  }
  spec.clusterIP = previousIp ?? `10.96.0.${nextClusterIp++}`;
  spec.clusterIPs = [spec.clusterIP];
  spec.type ??= 'ClusterIP';
  return undefined;
}

/** Pods start Pending with no node; their status belongs to the kubelet. */
function admitPod(object: KubeObject, previous: KubeObject | undefined): void {
  object.status = previous ? previous.status : { phase: 'Pending', qosClass: 'Burstable' };
  const spec = (object.spec ?? {}) as Spec;
  spec.restartPolicy ??= 'Always';
  object.spec = spec;
}

/** Defaults and validation applied on create and update, before the object is stored. */
export function admit(info: ResourceInfo, object: KubeObject, previous?: KubeObject): StatusFailure | undefined {
  object.apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
  object.kind = info.kind;
  if (previous) {
    object.metadata.uid = previous.metadata.uid;
    object.metadata.creationTimestamp = previous.metadata.creationTimestamp;
  }
  switch (info.resource) {
    case 'secrets':
      return admitSecret(info, object, previous);
    case 'services':
      return admitService(info, object, previous);
    case 'deployments':
      admitDeployment(object, previous);
      return undefined;
    case 'pods':
      admitPod(object, previous);
      return undefined;
    case 'namespaces':
      object.status = { phase: 'Active' };
      return undefined;
    default:
      return undefined;
  }
}
