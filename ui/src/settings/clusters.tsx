import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { kiln, settingsApi } from '../api/endpoints';
import type { Cluster, ClusterCheck } from '../api/types';
import { QueryState } from '../components/query-state';
import { useToast } from '../components/toast';
import { useIsAdmin, useIsInstanceAdmin } from '../session';
import { CheckResult } from './check-result';

const describe = (check: ClusterCheck) => `${check.message}${check.version ? ` (Kubernetes ${check.version})` : ''}`;

/** Runtime environments services deploy to; a check tells whether Kiln can work there. */
export function ClustersSettings() {
  const clusters = useQuery({ queryKey: ['clusters'], queryFn: kiln.listClusters, retry: false });
  const admin = useIsAdmin();
  return (
    <div className="settings-section">
      <p className="muted">Only needed to deploy: builds push images without a cluster.</p>
      <QueryState query={clusters} what="clusters">
        {(page) =>
          page.items.length === 0 ? (
            <p className="empty">No cluster yet.</p>
          ) : (
            <ul className="settings-list" aria-label="Clusters">
              {page.items.map((c) => (
                <ClusterRow key={c.id} cluster={c} admin={admin} />
              ))}
            </ul>
          )
        }
      </QueryState>
      {admin && <AddCluster />}
    </div>
  );
}

function ClusterRow({ cluster, admin }: { cluster: Cluster; admin: boolean }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  // The check answers 200 with ok:false and the missing permissions; shown as a failure all the same.
  const check = useMutation<string, Error, void>({
    mutationFn: async () => {
      const result = await settingsApi.checkCluster(cluster.id);
      if (!result.ok) throw new Error([result.message, ...(result.missing ?? [])].join(' '));
      return describe(result);
    },
  });
  const remove = useMutation({
    mutationFn: () => settingsApi.deleteCluster(cluster.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['clusters'] });
      toast(`Cluster ${cluster.name} removed`);
    },
    onError: (error) => toast(error.message, 'error'),
  });
  return (
    <li className="settings-item" aria-label={`Cluster ${cluster.name}`}>
      <div className="settings-item-head">
        <div>
          <strong>{cluster.name}</strong>{' '}
          <code className="wrap">{cluster.mode === 'in-cluster' ? 'in-cluster' : (cluster.server ?? '')}</code>
          {cluster.context && <div className="muted">context {cluster.context}</div>}
        </div>
        {admin && (
          <div className="toolbar">
            <button type="button" className="secondary" onClick={() => check.mutate()} disabled={check.isPending}>
              Check
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => window.confirm(`Remove cluster ${cluster.name}?`) && remove.mutate()}
            >
              Remove
            </button>
          </div>
        )}
      </div>
      <CheckResult check={check} describe={(text) => text} label={`Check of cluster ${cluster.name}`} />
    </li>
  );
}

function AddCluster() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const instanceAdmin = useIsInstanceAdmin();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<Cluster['mode']>('kubeconfig');
  const [kubeconfig, setKubeconfig] = useState('');
  const save = useMutation({
    mutationFn: () =>
      settingsApi.createCluster(mode === 'kubeconfig' ? { name: name.trim(), mode, kubeconfig } : { name, mode }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['clusters'] });
      toast(`Cluster ${created.name} added`);
      setName('');
      setKubeconfig('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="form card" onSubmit={submit} aria-label="Add a cluster">
      <h2>Add a cluster</h2>
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
      {mode === 'kubeconfig' && (
        <>
          <label htmlFor="cluster-kubeconfig">Kubeconfig</label>
          <textarea
            id="cluster-kubeconfig"
            required
            rows={6}
            value={kubeconfig}
            onChange={(e) => setKubeconfig(e.target.value)}
            aria-describedby="cluster-kubeconfig-help"
          />
          <p id="cluster-kubeconfig-help" className="help">
            Inline data only (no exec plugins or file paths): <code>kubectl config view --raw --minify --flatten</code>
          </p>
        </>
      )}
      {save.isError && (
        <p className="field-error" role="alert">
          {save.error.message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Adding…' : 'Add cluster'}
        </button>
      </div>
    </form>
  );
}
