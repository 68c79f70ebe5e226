import type { V1Secret } from '@kubernetes/client-node';
import type { RegistryAuth } from '../registry';
import { managedBy } from './labels';

/** Docker Hub's credentials live under its historic index URL in every docker config. */
export function dockerConfigKey(host: string): string {
  return ['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(host) ? 'https://index.docker.io/v1/' : host;
}

/** A docker `config.json` with one registry's credentials: what `.dockerconfigjson` Secrets and BuildKit read. */
export function dockerConfigJson(registry: RegistryAuth): string {
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  return JSON.stringify({
    auths: { [dockerConfigKey(registry.host)]: { username: registry.username, password: registry.password, auth } },
  });
}

/** `{serviceName}-registry-cred`: the image-pull Secret a service's Deployment references. */
export function pullSecretName(serviceName: string): string {
  return `${serviceName}-registry-cred`;
}

/** The image-pull Secret, type kubernetes.io/dockerconfigjson, in the service's namespace. */
export function imagePullSecretManifest(input: {
  namespace: string;
  serviceName: string;
  registry: RegistryAuth;
}): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: pullSecretName(input.serviceName),
      namespace: input.namespace,
      labels: { ...managedBy, 'app.kubernetes.io/name': input.serviceName },
    },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': dockerConfigJson(input.registry) },
  };
}
