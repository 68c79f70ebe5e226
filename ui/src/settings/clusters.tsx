import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { settingsApi } from '../api/endpoints';
import type { Cluster, ClusterCheck } from '../api/types';
import { useToast } from '../components/toast';
import { useIsAdmin, useIsInstanceAdmin } from '../session';
import { CheckResult } from './check-result';
import { useClusters } from './queries';
import { AddForm, RemoveButton, SettingsItem, SettingsList } from './settings-list';

const describe = (check: ClusterCheck) => `${check.message}${check.version ? ` (Kubernetes ${check.version})` : ''}`;

/** Runtime environments services deploy to; a check tells whether Kiln can work there. */
export function ClustersSettings() {
  const admin = useIsAdmin();
  return (
    <SettingsList
      query={useClusters()}
      what="Clusters"
      note={<p className="muted">Only needed to deploy: builds push images without a cluster.</p>}
      empty="No cluster yet."
      add={admin && <AddCluster />}
    >
      {(c) => <ClusterRow key={c.id} cluster={c} admin={admin} />}
    </SettingsList>
  );
}

function ClusterRow({ cluster, admin }: { cluster: Cluster; admin: boolean }) {
  // The check answers 200 with ok:false and the missing permissions; shown as a failure all the same.
  const check = useMutation<string, Error, void>({
    mutationFn: async () => {
      const result = await settingsApi.checkCluster(cluster.id);
      if (!result.ok) throw new Error([result.message, ...(result.missing ?? [])].join(' '));
      return describe(result);
    },
  });
  const summary = (
    <>
      <strong>{cluster.name}</strong>{' '}
      <code className="wrap">{cluster.mode === 'in-cluster' ? 'in-cluster' : (cluster.server ?? '')}</code>
      {cluster.namespaces && <div className="muted">namespaces {cluster.namespaces.join(', ')}</div>}
      {cluster.context && <div className="muted">context {cluster.context}</div>}
    </>
  );
  const actions = admin && (
    <>
      <button type="button" className="secondary" onClick={() => check.mutate()} disabled={check.isPending}>
        Check
      </button>
      <RemoveButton
        queryKey="clusters"
        confirm={`Remove cluster ${cluster.name}?`}
        done={`Cluster ${cluster.name} removed`}
        remove={() => settingsApi.deleteCluster(cluster.id)}
      />
    </>
  );
  return (
    <SettingsItem label={`Cluster ${cluster.name}`} summary={summary} actions={actions}>
      <CheckResult check={check} describe={(text) => text} label={`Check of cluster ${cluster.name}`} />
    </SettingsItem>
  );
}

/** The namespaces an in-cluster environment allows, as typed: comma- or space-separated. */
const namespaceList = (text: string) => text.split(/[\s,]+/).filter(Boolean);

function AddCluster() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const instanceAdmin = useIsInstanceAdmin();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<Cluster['mode']>('kubeconfig');
  const [kubeconfig, setKubeconfig] = useState('');
  const [namespaces, setNamespaces] = useState('');
  const save = useMutation({
    mutationFn: () =>
      settingsApi.createCluster(
        mode === 'kubeconfig'
          ? { name: name.trim(), mode, kubeconfig }
          : { name, mode, namespaces: namespaceList(namespaces) },
      ),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['clusters'] });
      toast(`Cluster ${created.name} added`);
      setName('');
      setKubeconfig('');
      setNamespaces('');
    },
  });
  return (
    <AddForm title="Add a cluster" save={save} submit="Add cluster" pending="Adding…">
      <label htmlFor="cluster-name">Name</label>
      <input id="cluster-name" required value={name} onChange={(e) => setName(e.target.value)} />
      {instanceAdmin && (
        <>
          <label htmlFor="cluster-mode">Connect with</label>
          <select id="cluster-mode" value={mode} onChange={(e) => setMode(e.target.value as Cluster['mode'])}>
            <option value="kubeconfig">A kubeconfig</option>
            <option value="in-cluster">Kiln&rsquo;s own service account (in-cluster)</option>
          </select>
        </>
      )}
      {mode === 'kubeconfig' ? (
        <KubeconfigField value={kubeconfig} onChange={setKubeconfig} />
      ) : (
        <NamespacesField value={namespaces} onChange={setNamespaces} />
      )}
    </AddForm>
  );
}

function KubeconfigField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <>
      <label htmlFor="cluster-kubeconfig">Kubeconfig</label>
      <textarea
        id="cluster-kubeconfig"
        required
        rows={6}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby="cluster-kubeconfig-help"
      />
      <p id="cluster-kubeconfig-help" className="help">
        Inline data only (no exec plugins or file paths): <code>kubectl config view --raw --minify --flatten</code>
      </p>
    </>
  );
}

/** In-cluster mode works with Kiln's own service account: only the namespaces listed here are open to services. */
function NamespacesField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <>
      <label htmlFor="cluster-namespaces">Namespaces services may deploy to</label>
      <input
        id="cluster-namespaces"
        required
        value={value}
        placeholder="team-a, apps-*"
        onChange={(e) => onChange(e.target.value)}
        aria-describedby="cluster-namespaces-help"
      />
      <p id="cluster-namespaces-help" className="help">
        Names, or prefixes ending in <code>*</code>. Kiln&rsquo;s service account can reach every namespace, so no other
        is allowed (never Kiln&rsquo;s own unless listed).
      </p>
    </>
  );
}
