import type { V1Secret } from '@kubernetes/client-node';
import type { BuildRequest, RegistryAuth } from '../../builders/builder';
import { buildSecretKey } from './build-containers';
import { buildIdLabel, buildObjectNames, labelValue, managedBy } from './manifests';
import { wizardSecretData } from './wizard-files';

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

/** The per-build Secret: the git token for the init container, registry auth and secret build args for BuildKit. */
export function buildSecretManifest(input: {
  namespace: string;
  buildId: string;
  gitUsername: string;
  token?: string;
  registry: RegistryAuth;
  /** Secret build args, mounted into the BuildKit container only. */
  secretBuildArgs?: Record<string, string>;
  /** The Build Wizard's files, mounted into the clone container only (which uses them if the checkout has none). */
  wizardDockerfile?: BuildRequest['wizardDockerfile'];
  /** The build pod: the Secret is owned by it, so the garbage collector removes it with the pod. */
  owner?: { name: string; uid: string };
}): V1Secret {
  const stringData: Record<string, string> = {
    'config.json': dockerConfigJson(input.registry),
    'git-username': input.gitUsername,
  };
  if (input.token) stringData['git-token'] = input.token;
  for (const [name, value] of Object.entries(input.secretBuildArgs ?? {})) stringData[buildSecretKey(name)] = value;
  Object.assign(stringData, wizardSecretData(input.wizardDockerfile));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: buildObjectNames(input.buildId).secret,
      namespace: input.namespace,
      labels: { ...managedBy, 'app.kubernetes.io/component': 'build', [buildIdLabel]: labelValue(input.buildId) },
      ...(input.owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', ...input.owner }] } : {}),
    },
    type: 'Opaque',
    stringData,
  };
}
