import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { registryKindLabels } from '../../../domain/connections';
import { settingsApi } from '../api/endpoints';
import type { Input, Registry, RegistryCheck } from '../api/types';
import { useToast } from '../components/toast';
import { useIsAdmin } from '../session';
import { CheckResult } from './check-result';
import { useRegistries } from './queries';
import { AddForm, RemoveButton, SettingsItem, SettingsList } from './settings-list';

/** The add form's fields: every one a user types (the API gives `insecure` and, for Docker Hub, `url` defaults). */
type RegistryForm = Required<Omit<Input['createRegistry'], 'organizationId'>>;

// The add form's choices, each with the example address and project its placeholders show.
const kinds: { id: Registry['kind']; label: string; url: string; project: string }[] = [
  { id: 'oci', label: registryKindLabels.oci, url: 'registry.example.com', project: 'team' },
  { id: 'harbor', label: registryKindLabels.harbor, url: 'harbor.example.com', project: 'library' },
  { id: 'dockerhub', label: registryKindLabels.dockerhub, url: 'docker.io', project: 'your-namespace' },
];
const describe = (check: RegistryCheck) => check.message;
const empty: RegistryForm = {
  name: '',
  kind: 'oci',
  url: '',
  project: '',
  username: '',
  password: '',
  insecure: false,
};

/** Registries images are pushed to: add one, test its login against `/v2/`, remove an unused one. */
export function RegistriesSettings() {
  const admin = useIsAdmin();
  return (
    <SettingsList
      query={useRegistries()}
      what="Registries"
      empty={`No registry yet. ${admin ? 'Add one below' : 'An organization admin adds one'}: Auto CI pushes every image there.`}
      add={admin && <AddRegistry />}
    >
      {(r) => <RegistryRow key={r.id} registry={r} admin={admin} />}
    </SettingsList>
  );
}

function RegistryRow({ registry, admin }: { registry: Registry; admin: boolean }) {
  const check = useMutation<RegistryCheck, Error, void>({
    mutationFn: () => settingsApi.checkStoredRegistry(registry.id),
  });
  const summary = (
    <>
      <strong>{registry.name}</strong>{' '}
      <code className="wrap">
        {registry.url}/{registry.project}
      </code>
      <div className="muted">
        {registryKindLabels[registry.kind]} · user {registry.username}
        {registry.insecure ? ' · plain HTTP' : ''}
        {registry.hasPassword ? '' : ' · no password (its address changed): enter it again'}
      </div>
    </>
  );
  const actions = admin && (
    <>
      <button type="button" className="secondary" onClick={() => check.mutate()} disabled={check.isPending}>
        Test connection
      </button>
      <RemoveButton
        queryKey="registries"
        confirm={`Remove registry ${registry.name}?`}
        done={`Registry ${registry.name} removed`}
        remove={() => settingsApi.deleteRegistry(registry.id)}
      />
    </>
  );
  return (
    <SettingsItem label={`Registry ${registry.name}`} summary={summary} actions={actions}>
      <CheckResult check={check} describe={describe} label={`Test of registry ${registry.name}`} />
    </SettingsItem>
  );
}

function AddRegistry() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState<RegistryForm>(empty);
  const input = (): Input['createRegistry'] => ({ ...form, url: form.url.trim() || undefined });
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
  const set = <K extends keyof RegistryForm>(key: K, value: RegistryForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    test.reset();
  };
  const testButton = (
    <button
      type="button"
      className="secondary"
      disabled={!form.username.trim() || !form.password || test.isPending}
      onClick={() => test.mutate()}
    >
      Test connection
    </button>
  );
  return (
    <AddForm title="Add a registry" save={save} submit="Add registry" pending="Adding…" test={testButton}>
      <RegistryFields form={form} set={set} />
      <CheckResult check={test} describe={describe} label="Registry test" />
    </AddForm>
  );
}

interface RegistryFieldsProps {
  form: RegistryForm;
  set: <K extends keyof RegistryForm>(key: K, value: RegistryForm[K]) => void;
}

/** What the registry is and where: kind, name, address and project (Docker Hub: namespace). */
function RegistryFields({ form, set }: RegistryFieldsProps) {
  const kind = kinds.find((k) => k.id === form.kind)!;
  return (
    <>
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
        value={form.url}
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
      <RegistryLoginFields form={form} set={set} />
    </>
  );
}

/** How Kiln logs in: username, password or token, and whether the registry speaks plain HTTP. */
function RegistryLoginFields({ form, set }: RegistryFieldsProps) {
  return (
    <>
      <label htmlFor="reg-username">Username</label>
      <input id="reg-username" required value={form.username} onChange={(e) => set('username', e.target.value)} />
      <label htmlFor="reg-password">Password or token</label>
      <input
        id="reg-password"
        type="password"
        autoComplete="off"
        required
        value={form.password}
        onChange={(e) => set('password', e.target.value)}
      />
      <label className="check">
        <input type="checkbox" checked={form.insecure} onChange={(e) => set('insecure', e.target.checked)} /> Plain HTTP
        (insecure; a registry on this machine or network only)
      </label>
    </>
  );
}
