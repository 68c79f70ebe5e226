import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { kiln, settingsApi } from '../api/endpoints';
import type { Registry, RegistryCheck, RegistryInput } from '../api/types';
import { QueryState } from '../components/query-state';
import { useToast } from '../components/toast';
import { useIsAdmin } from '../session';
import { CheckResult } from './check-result';

const kinds: { id: Registry['kind']; label: string; url: string; project: string }[] = [
  { id: 'oci', label: 'Any OCI registry', url: 'registry.example.com', project: 'team' },
  { id: 'harbor', label: 'Harbor', url: 'harbor.example.com', project: 'library' },
  { id: 'dockerhub', label: 'Docker Hub', url: 'docker.io', project: 'your-namespace' },
];
const describe = (check: RegistryCheck) => check.message;
const empty: RegistryInput = {
  name: '',
  kind: 'oci',
  url: '',
  project: '',
  username: '',
  password: '',
  insecure: false,
};

/** The organization's registries query, shared with the service form. */
export function useRegistries() {
  return useQuery({ queryKey: ['registries'], queryFn: kiln.listRegistries, retry: false });
}

/** Registries images are pushed to: add one, test its login against `/v2/`, remove an unused one. */
export function RegistriesSettings() {
  const registries = useRegistries();
  const admin = useIsAdmin();
  return (
    <div className="settings-section">
      <QueryState query={registries} what="registries">
        {(page) =>
          page.items.length === 0 ? (
            <p className="empty">
              No registry yet. {admin ? 'Add one below' : 'An organization admin adds one'}: Auto CI pushes every image
              there.
            </p>
          ) : (
            <ul className="settings-list" aria-label="Registries">
              {page.items.map((r) => (
                <RegistryRow key={r.id} registry={r} admin={admin} />
              ))}
            </ul>
          )
        }
      </QueryState>
      {admin && <AddRegistry />}
    </div>
  );
}

function RegistryRow({ registry, admin }: { registry: Registry; admin: boolean }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const check = useMutation<RegistryCheck, Error, void>({
    mutationFn: () => settingsApi.checkStoredRegistry(registry.id),
  });
  const remove = useMutation({
    mutationFn: () => settingsApi.deleteRegistry(registry.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['registries'] });
      toast(`Registry ${registry.name} removed`);
    },
    onError: (error) => toast(error.message, 'error'),
  });
  return (
    <li className="settings-item" aria-label={`Registry ${registry.name}`}>
      <div className="settings-item-head">
        <div>
          <strong>{registry.name}</strong>{' '}
          <code className="wrap">
            {registry.url}/{registry.project}
          </code>
          <div className="muted">
            {kinds.find((k) => k.id === registry.kind)?.label} · user {registry.username}
            {registry.insecure ? ' · plain HTTP' : ''}
            {registry.hasPassword ? '' : ' · no password (its address changed): enter it again'}
          </div>
        </div>
        {admin && (
          <div className="toolbar">
            <button type="button" className="secondary" onClick={() => check.mutate()} disabled={check.isPending}>
              Test connection
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => window.confirm(`Remove registry ${registry.name}?`) && remove.mutate()}
            >
              Remove
            </button>
          </div>
        )}
      </div>
      <CheckResult check={check} describe={describe} label={`Test of registry ${registry.name}`} />
    </li>
  );
}

function AddRegistry() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState<RegistryInput>(empty);
  const kind = kinds.find((k) => k.id === form.kind)!;
  const set = <K extends keyof RegistryInput>(key: K, value: RegistryInput[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    test.reset();
  };
  const input = (): RegistryInput => ({ ...form, url: form.url?.trim() || undefined });
  const test = useMutation<RegistryCheck, Error, void>({ mutationFn: () => settingsApi.checkNewRegistry(input()) });
  const save = useMutation({
    mutationFn: () => settingsApi.createRegistry(input()),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['registries'] });
      toast(`Registry ${created.name} added`);
      setForm(empty);
      test.reset();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="form card" onSubmit={submit} aria-label="Add a registry">
      <h2>Add a registry</h2>
      <label htmlFor="reg-kind">Kind</label>
      <select id="reg-kind" value={form.kind} onChange={(e) => set('kind', e.target.value as Registry['kind'])}>
        {kinds.map((k) => (
          <option key={k.id} value={k.id}>
            {k.label}
          </option>
        ))}
      </select>
      <label htmlFor="reg-name">Name</label>
      <input id="reg-name" required value={form.name} onChange={(e) => set('name', e.target.value)} />
      <label htmlFor="reg-url">Address</label>
      <input
        id="reg-url"
        required={form.kind !== 'dockerhub'}
        placeholder={kind.url}
        value={form.url ?? ''}
        onChange={(e) => set('url', e.target.value)}
        aria-describedby="reg-url-help"
      />
      <p id="reg-url-help" className="help">
        host[:port], e.g. {kind.url}. The password is sent only to this host.
      </p>
      <label htmlFor="reg-project">{form.kind === 'dockerhub' ? 'Namespace' : 'Project'}</label>
      <input
        id="reg-project"
        required
        placeholder={kind.project}
        value={form.project}
        onChange={(e) => set('project', e.target.value)}
      />
      <label htmlFor="reg-username">Username</label>
      <input id="reg-username" required value={form.username} onChange={(e) => set('username', e.target.value)} />
      <label htmlFor="reg-password">Password or token</label>
      <input
        id="reg-password"
        type="password"
        autoComplete="off"
        required
        value={form.password ?? ''}
        onChange={(e) => set('password', e.target.value)}
      />
      <label className="check">
        <input type="checkbox" checked={form.insecure} onChange={(e) => set('insecure', e.target.checked)} /> Plain HTTP
        (insecure; a registry on this machine or network only)
      </label>
      <CheckResult check={test} describe={describe} label="Registry test" />
      {save.isError && (
        <p className="field-error" role="alert">
          {save.error.message}
        </p>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="secondary"
          disabled={!form.username.trim() || !form.password || test.isPending}
          onClick={() => test.mutate()}
        >
          Test connection
        </button>
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Adding…' : 'Add registry'}
        </button>
      </div>
    </form>
  );
}
