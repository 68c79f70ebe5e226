import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { kiln } from '../api/endpoints';
import type { Service, ServiceInput } from '../api/types';
import { Modal } from '../components/modal';
import { useToast } from '../components/toast';
import { href } from '../router';

const empty: ServiceInput = {
  name: '',
  gitProvider: 'gitlab',
  repoUrl: '',
  defaultBranch: 'main',
  registryId: null,
  clusterId: null,
  deployNamespace: null,
};

function toInput(service: Service): ServiceInput {
  const { name, gitProvider, repoUrl, defaultBranch, registryId, clusterId, deployNamespace } = service;
  return { name, gitProvider, repoUrl, defaultBranch, registryId, clusterId, deployNamespace };
}

/** Create (no `service`) or edit a service: repository, registry, cluster and deploy namespace. */
export function ServiceForm({
  service,
  onSaved,
  onCancel,
}: {
  service?: Service;
  onSaved: (s: Service) => void;
  onCancel?: () => void;
}) {
  const [form, setForm] = useState<ServiceInput>(service ? toInput(service) : empty);
  const queryClient = useQueryClient();
  const toast = useToast();
  const registries = useQuery({ queryKey: ['registries'], queryFn: kiln.listRegistries, retry: false });
  const clusters = useQuery({ queryKey: ['clusters'], queryFn: kiln.listClusters, retry: false });
  const save = useMutation({
    mutationFn: () => (service ? kiln.updateService(service.id, form) : kiln.createService(form)),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['services'] });
      toast(service ? 'Service saved' : `Service ${saved.name} created`);
      onSaved(saved);
    },
  });
  const set = <K extends keyof ServiceInput>(key: K, value: ServiceInput[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="form" onSubmit={submit} aria-label={service ? 'Edit service' : 'New service'}>
      <label htmlFor="svc-name">Name</label>
      <input
        id="svc-name"
        required
        value={form.name}
        onChange={(e) => set('name', e.target.value)}
        pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?"
        title="Lower-case letters, digits and dashes (it names images and Kubernetes objects)"
      />
      <label htmlFor="svc-provider">Git provider</label>
      <select
        id="svc-provider"
        value={form.gitProvider}
        onChange={(e) => set('gitProvider', e.target.value as ServiceInput['gitProvider'])}
      >
        <option value="gitlab">GitLab</option>
        <option value="github">GitHub</option>
      </select>
      <label htmlFor="svc-repo">Repository URL</label>
      <input
        id="svc-repo"
        required
        type="url"
        placeholder="https://gitlab.example.com/group/project.git"
        value={form.repoUrl}
        onChange={(e) => set('repoUrl', e.target.value)}
      />
      <label htmlFor="svc-branch">Default branch</label>
      <input
        id="svc-branch"
        required
        value={form.defaultBranch}
        onChange={(e) => set('defaultBranch', e.target.value)}
      />
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
      <label htmlFor="svc-namespace">Deploy namespace</label>
      <input
        id="svc-namespace"
        placeholder={form.name || 'service name'}
        value={form.deployNamespace ?? ''}
        onChange={(e) => set('deployNamespace', e.target.value || null)}
      />
      {save.isError && (
        <p className="field-error" role="alert">
          {save.error.message}
        </p>
      )}
      <div className="form-actions">
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : service ? 'Save service' : 'Create service'}
        </button>
      </div>
    </form>
  );
}

/** The New service dialog. */
export function ServiceFormModal({ onClose, onSaved }: { onClose: () => void; onSaved: (s: Service) => void }) {
  return (
    <Modal title="New service" onClose={onClose}>
      <ServiceForm onSaved={onSaved} onCancel={onClose} />
    </Modal>
  );
}
