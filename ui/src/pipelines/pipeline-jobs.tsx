import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { kiln } from '../api/endpoints';
import type { LogLine, PipelineJob } from '../api/types';
import { formatDuration } from '../builds/format';
import { Modal } from '../components/modal';
import { QueryState } from '../components/query-state';
import { LogViewer } from '../logs/log-viewer';
import { badgeOf } from './badge';

/** A pipeline's jobs grouped by stage, each with a Log button. */
export function PipelineJobs({
  serviceId,
  pipelineId,
  live,
}: {
  serviceId: string;
  pipelineId: number;
  live: boolean;
}) {
  const detail = useQuery({
    queryKey: ['pipeline', serviceId, pipelineId],
    queryFn: () => kiln.getPipeline(serviceId, pipelineId),
    refetchInterval: live ? 3_000 : false,
  });
  const [job, setJob] = useState<PipelineJob | null>(null);
  return (
    <div className="build-details">
      <QueryState query={detail} what="jobs">
        {(d) => (
          <div className="stages">
            {d.stages.map((stage) => (
              <section key={stage.name} className="stage-column" aria-label={`Stage ${stage.name}`}>
                <h3>{stage.name}</h3>
                <ul className="plain-list">
                  {stage.jobs.map((j) => (
                    <li key={j.id} className="job">
                      <span className={`badge badge-${badgeOf(j.status)}`}>{j.status}</span> <strong>{j.name}</strong>{' '}
                      <span className="muted">
                        {formatDuration(j.durationSeconds == null ? null : j.durationSeconds * 1000)}
                      </span>{' '}
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => setJob(j)}
                        aria-label={`Log of job ${j.name}`}
                      >
                        Log
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        )}
      </QueryState>
      {job && <JobLogDialog serviceId={serviceId} job={job} onClose={() => setJob(null)} />}
    </div>
  );
}

function JobLogDialog({ serviceId, job, onClose }: { serviceId: string; job: PipelineJob; onClose: () => void }) {
  const live = job.status === 'Running' || job.status === 'Pending';
  const log = useQuery({
    queryKey: ['job-log', serviceId, job.id],
    queryFn: () => kiln.jobLog(serviceId, job.id),
    refetchInterval: live ? 2_000 : false,
  });
  const lines = useMemo<LogLine[]>(
    () => (log.data?.lines ?? []).map((l) => ({ seq: l.n, stream: l.stream, text: l.text })),
    [log.data],
  );
  return (
    <Modal title={`Job ${job.name}`} onClose={onClose} wide>
      <QueryState query={log} what="the job log">
        {(data) => (
          <>
            {data.truncated && (
              <p className="note">
                Showing the last {data.lines.length.toLocaleString()} of {data.totalLines.toLocaleString()} lines.
              </p>
            )}
            <LogViewer lines={lines} label={`Log of job ${job.name}`} live={live} height={480} />
          </>
        )}
      </QueryState>
    </Modal>
  );
}
