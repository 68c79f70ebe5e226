import type { Input, Service } from '../api/types';

/** The fields the form edits, as `POST /services` takes them (every one filled in; null means none). */
export type ServiceFields = Required<
  Pick<
    Input['createService'],
    'name' | 'gitProvider' | 'repoUrl' | 'defaultBranch' | 'registryId' | 'clusterId' | 'deployNamespace'
  >
>;
/** Sets one field of the service form. */
export type SetField = <K extends keyof ServiceFields>(key: K, value: ServiceFields[K]) => void;

/** A new service's fields before the user types. */
export const emptyServiceFields: ServiceFields = {
  name: '',
  gitProvider: 'gitlab',
  repoUrl: '',
  defaultBranch: 'main',
  registryId: null,
  clusterId: null,
  deployNamespace: null,
};

/** A service's editable fields. */
export function fieldsOf(service: Service): ServiceFields {
  const { name, gitProvider, repoUrl, defaultBranch, registryId, clusterId, deployNamespace } = service;
  return { name, gitProvider, repoUrl, defaultBranch, registryId, clusterId, deployNamespace };
}
