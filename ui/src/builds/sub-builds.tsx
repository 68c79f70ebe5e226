import { Fragment, useState } from 'react';
import type { Build } from '../api/types';
import { ChevronIcon } from '../components/icons';
import { StatusBadge } from '../components/status-badge';
import { BuildActions } from './build-actions';
import { BuildLog } from './build-log';
import { BuildProgress } from './build-progress';
import { buildDuration, buildTitle, formatDuration } from './format';

interface SubBuildsProps {
  builds: Build[];
  now: number;
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
  busy: boolean;
}

/** A monorepo build's sub-project builds, each with its status, progress, actions and its own log. */
export function SubBuilds({ builds, now, onCancel, onRetry, busy }: SubBuildsProps) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <ul className="children" aria-label="Sub-project builds">
      {builds.map((child) => {
        const name = child.subproject ?? buildTitle(child);
        return (
          <Fragment key={child.id}>
            <li className="build-summary" aria-label={`Sub-project ${name}, ${child.status}`}>
              <button
                type="button"
                className="expand"
                aria-expanded={open === child.id}
                aria-label={`${open === child.id ? 'Hide' : 'Show'} log of sub-project ${name}`}
                onClick={() => setOpen(open === child.id ? null : child.id)}
              >
                <ChevronIcon />
              </button>
              <div className="build-title">{name}</div>
              <StatusBadge status={child.status} />
              <div className="build-meta">{formatDuration(buildDuration(child, now))}</div>
              <BuildProgress build={child} />
              <BuildActions build={child} onCancel={onCancel} onRetry={onRetry} busy={busy} />
            </li>
            {open === child.id && (
              <li className="child-log">
                {child.error && <p className="build-error">{child.error}</p>}
                <BuildLog build={child} label={`Log of sub-project ${name}`} />
              </li>
            )}
          </Fragment>
        );
      })}
    </ul>
  );
}
