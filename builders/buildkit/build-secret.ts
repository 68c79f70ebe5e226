import type { V1Secret } from '@kubernetes/client-node';
import type { RegistryAuth } from '../../clients/registry';
import { dockerConfigJson } from '../../clients/kubernetes/secret-manifests';
import { labelValue, managedBy } from '../../clients/kubernetes/labels';
import type { BuildRequest } from '../builder';
import { buildSecretKey } from './build-containers';
import { buildIdLabel, buildObjectNames } from './manifests';
import { wizardSecretData } from './wizard-files';

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
