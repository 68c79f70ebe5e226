import type { ImagePuller } from './kubelet';
import type { ObjectStore } from './store';

/**
 * Pulls like a kubelet does for a private registry: the credentials come only from the pod's imagePullSecrets
 * (dockerconfigjson), and the manifest must exist. Images on other hosts are assumed present on the node.
 */
export function registryPuller(store: ObjectStore, registryHosts: string[]): ImagePuller {
  return async (pod, image) => {
    const host = image.slice(0, image.indexOf('/'));
    if (!registryHosts.includes(host)) return undefined;
    const at = image.indexOf('@');
    const colon = image.lastIndexOf(':');
    const [repository, reference] =
      at >= 0
        ? [image.slice(host.length + 1, at), image.slice(at + 1)]
        : [image.slice(host.length + 1, colon), image.slice(colon + 1)];
    const pullSecrets = ((pod.spec as { imagePullSecrets?: { name: string }[] }).imagePullSecrets ?? []).map((ref) =>
      store.get('secrets', pod.metadata.namespace ?? '', ref.name),
    );
    const auths = pullSecrets.flatMap((secret) => {
      const raw = (secret?.data as Record<string, string> | undefined)?.['.dockerconfigjson'];
      if (!raw) return [];
      const config = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as {
        auths?: Record<string, { auth?: string }>;
      };
      const entry = config.auths?.[host];
      return entry?.auth ? [entry.auth] : [];
    });
    const headers: Record<string, string> = {
      Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    };
    if (auths[0]) headers.Authorization = `Basic ${auths[0]}`;
    const response = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, { method: 'HEAD', headers });
    if (response.status === 401)
      return `failed to pull and unpack image "${image}": failed to authorize: 401 Unauthorized`;
    if (!response.ok) return `failed to pull and unpack image "${image}": ${response.status} not found`;
    return undefined;
  };
}
