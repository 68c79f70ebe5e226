import { href } from '../router';
import { useClusters, useRegistries } from '../settings/queries';
import type { ServiceFields, SetField } from './service-fields';

interface FieldsProps {
  form: ServiceFields;
  set: SetField;
}

/** Where images go and where they deploy: registry, cluster and namespace. */
export function TargetFields({ form, set }: FieldsProps) {
  return (
    <>
      <RegistryField form={form} set={set} />
      <ClusterField form={form} set={set} />
      <label htmlFor="svc-namespace">Deploy namespace</label>
      <input
        id="svc-namespace"
        placeholder={form.name || 'service name'}
        value={form.deployNamespace ?? ''}
        onChange={(e) => set('deployNamespace', e.target.value || null)}
      />
    </>
  );
}

/** The registry images are pushed to, with where to add one when the organization has none. */
function RegistryField({ form, set }: FieldsProps) {
  const registries = useRegistries();
  return (
    <>
      <label htmlFor="svc-registry">Registry</label>
      <select
        id="svc-registry"
        value={form.registryId ?? ''}
        onChange={(e) => set('registryId', e.target.value || null)}
        aria-describedby="svc-registry-help"
      >
        <option value="">None</option>
        {registries.data?.items.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name} ({r.url}/{r.project})
          </option>
        ))}
      </select>
      <p id="svc-registry-help" className="help">
        {registries.isError ? (
          `Registries could not be loaded: ${registries.error.message}`
        ) : registries.data?.items.length === 0 ? (
          <>
            No registry yet — <a href={href('settings', 'registries')}>add one</a> (organization admins). Auto CI needs
            one.
          </>
        ) : (
          'Where built images are pushed. Auto CI needs one.'
        )}
      </p>
    </>
  );
}

/** The cluster auto-deploy deploys to. */
function ClusterField({ form, set }: FieldsProps) {
  const clusters = useClusters();
  return (
    <>
      <label htmlFor="svc-cluster">Kubernetes cluster</label>
      <select
        id="svc-cluster"
        value={form.clusterId ?? ''}
        onChange={(e) => set('clusterId', e.target.value || null)}
        aria-describedby="svc-cluster-help"
      >
        <option value="">None</option>
        {clusters.data?.items.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <p id="svc-cluster-help" className="help">
        Needed for auto-deploy.
      </p>
    </>
  );
}
