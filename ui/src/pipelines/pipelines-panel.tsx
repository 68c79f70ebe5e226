import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { kiln } from '../api/endpoints';
import type { Pipeline } from '../api/types';
import { timeAgo } from '../builds/format';
import { ChevronIcon, ExternalIcon } from '../components/icons';
import { QueryState } from '../components/query-state';
import { useToast } from '../components/toast';
import { badgeOf } from './badge';
import { PipelineJobs } from './pipeline-jobs';
import { RunPipelineDialog } from './run-pipeline-dialog';

const active = (status: string) => status === 'Running' || status === 'Pending';
const pipelinesKey = (serviceId: string) => ['pipelines', serviceId];

/** The Pipelines tab: the service's GitLab CI/CD pipelines with Run, Cancel, Retry and View in GitLab. */
export function PipelinesPanel({ serviceId, defaultBranch }: { serviceId: string; defaultBranch: string }) {
  const list = useQuery({
    queryKey: pipelinesKey(serviceId),
    queryFn: () => kiln.listPipelines(serviceId),
    refetchInterval: (q) => (q.state.data?.linked && q.state.data.items.some((p) => active(p.status)) ? 3_000 : 15_000),
  });
  return (
    <QueryState query={list} what="pipelines">
      {(data) =>
        !data.linked ? (
          <p className="empty card">{data.message}</p>
        ) : (
          <LinkedPipelines
            serviceId={serviceId}
            defaultBranch={defaultBranch}
            projectPath={data.projectPath}
            items={data.items}
          />
        )
      }
    </QueryState>
  );
}

/** Cancel, retry and run, each refreshing the list and saying what happened. */
function usePipelineActions(serviceId: string, onStarted: () => void) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const refresh = () => queryClient.invalidateQueries({ queryKey: pipelinesKey(serviceId) });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: number; action: 'cancel' | 'retry' }) =>
      action === 'cancel' ? kiln.cancelPipeline(serviceId, id) : kiln.retryPipeline(serviceId, id),
    onSuccess: async (p, { action }) => {
      toast(`Pipeline #${p.id} ${action === 'cancel' ? 'cancelled' : 'retried'}`);
      await refresh();
    },
    onError: (error) => toast(error.message, 'error'),
  });
  const run = useMutation({
    mutationFn: (ref: string) => kiln.runPipeline(serviceId, ref),
    onSuccess: async (p) => {
      onStarted();
      toast(`Pipeline #${p.id} started on ${p.ref}`);
      await refresh();
    },
  });
  return { act, run };
}

/** The pipelines of a linked GitLab project, with Run Pipeline. */
function LinkedPipelines(props: { serviceId: string; defaultBranch: string; projectPath: string; items: Pipeline[] }) {
  const { serviceId } = props;
  const [running, setRunning] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const { act, run } = usePipelineActions(serviceId, () => setRunning(false));
  return (
    <>
      <div className="toolbar">
        <h2>Pipelines</h2>
        <span className="muted">{props.projectPath}</span>
        <span className="spacer" />
        <button type="button" onClick={() => setRunning(true)}>
          Run Pipeline
        </button>
      </div>
      {props.items.length === 0 && <p className="empty card">No pipelines yet.</p>}
      <ul className="build-list" aria-label="Pipelines">
        {props.items.map((p) => (
          <PipelineRow
            key={p.id}
            serviceId={serviceId}
            pipeline={p}
            open={open === p.id}
            onToggle={() => setOpen(open === p.id ? null : p.id)}
            onAction={(action) => act.mutate({ id: p.id, action })}
            busy={act.isPending}
          />
        ))}
      </ul>
      {running && (
        <RunPipelineDialog
          defaultRef={props.defaultBranch}
          busy={run.isPending}
          error={run.error?.message ?? null}
          onSubmit={(ref) => run.mutate(ref)}
          onClose={() => setRunning(false)}
        />
      )}
    </>
  );
}

function PipelineRow(props: {
  serviceId: string;
  pipeline: Pipeline;
  open: boolean;
  onToggle: () => void;
  onAction: (a: 'cancel' | 'retry') => void;
  busy: boolean;
}) {
  const p = props.pipeline;
  return (
    <li className="build-row" aria-label={`Pipeline ${p.id}, ${p.status}`}>
      <div className="build-summary pipeline-summary">
        <button
          type="button"
          className="expand"
          aria-expanded={props.open}
          aria-label={`${props.open ? 'Hide' : 'Show'} jobs of pipeline ${p.id}`}
          onClick={props.onToggle}
        >
          <ChevronIcon />
        </button>
        <div>
          <div className="build-title">#{p.id}</div>
          <div className="build-meta">
            {p.ref} · <code>{p.shortSha}</code> · {timeAgo(p.createdAt)}
          </div>
        </div>
        <span className={`badge badge-${badgeOf(p.status)}`}>{p.status}</span>
        <div className="build-actions">
          {p.canCancel && (
            <button type="button" className="danger" disabled={props.busy} onClick={() => props.onAction('cancel')}>
              Cancel
            </button>
          )}
          {p.canRetry && (
            <button type="button" className="secondary" disabled={props.busy} onClick={() => props.onAction('retry')}>
              Retry
            </button>
          )}
          <a className="button secondary-link" href={p.webUrl} target="_blank" rel="noreferrer">
            View in GitLab <ExternalIcon size={14} />
          </a>
        </div>
      </div>
      {props.open && <PipelineJobs serviceId={props.serviceId} pipelineId={p.id} live={active(p.status)} />}
    </li>
  );
}
