import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { kiln } from '../api/endpoints';
import type { Build } from '../api/types';
import { QueryState } from '../components/query-state';
import { isActive } from './format';

/** Without a Temporal Web UI (the embedded engine), the build's workflow events as Kiln reads them. */
export function WorkflowHistory({ build }: { build: Build }) {
  const [open, setOpen] = useState(false);
  return (
    <div>
      <p className="muted">
        Workflow <code className="wrap">{build.workflowId}</code>.{' '}
        <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide its event history' : 'Show its event history'}
        </button>
      </p>
      {open && <HistoryTable build={build} />}
    </div>
  );
}

function HistoryTable({ build }: { build: Build }) {
  const history = useQuery({
    queryKey: ['workflow-history', build.id],
    queryFn: () => kiln.workflowHistory(build.id),
    refetchInterval: isActive(build) ? 3_000 : false,
  });
  return (
    <QueryState query={history} what="the workflow history">
      {({ events }) => (
        <div className="table-wrap">
          <table aria-label="Workflow event history">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Event</th>
                <th scope="col">Time</th>
                <th scope="col">Activity / child</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} className={e.failure ? 'event-failed' : undefined}>
                  <td>{e.id}</td>
                  <td>
                    {e.type}
                    {e.failure && <div className="field-error">{e.failure}</div>}
                  </td>
                  <td>{e.time ? new Date(e.time).toLocaleTimeString() : '—'}</td>
                  <td>{e.name ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </QueryState>
  );
}
