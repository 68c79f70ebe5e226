import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { kiln } from '../api/endpoints';
import type { Service } from '../api/types';
import { Modal } from '../components/modal';
import { useToast } from '../components/toast';
import { emptyServiceFields, fieldsOf } from './service-fields';
import type { ServiceFields, SetField } from './service-fields';
import { TargetFields } from './target-fields';

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
  const [form, setForm] = useState<ServiceFields>(service ? fieldsOf(service) : emptyServiceFields);
  const save = useSaveService(service, onSaved);
  const set: SetField = (key, value) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <form
      className="form"
      aria-label={service ? 'Edit service' : 'New service'}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(form);
      }}
    >
      <RepositoryFields form={form} set={set} />
      <TargetFields form={form} set={set} />
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

/** Saves the form (creates the service without `service`), refreshes the services and says so. */
function useSaveService(service: Service | undefined, onSaved: (s: Service) => void) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (form: ServiceFields) => (service ? kiln.updateService(service.id, form) : kiln.createService(form)),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['services'] });
      toast(service ? 'Service saved' : `Service ${saved.name} created`);
      onSaved(saved);
    },
  });
}

/** Name, Git provider, repository URL and default branch. */
function RepositoryFields({ form, set }: { form: ServiceFields; set: SetField }) {
  return (
    <>
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
        onChange={(e) => set('gitProvider', e.target.value as ServiceFields['gitProvider'])}
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
    </>
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
