import type { Build } from '../api/types';
import { ChevronIcon } from '../components/icons';
import { StatusBadge } from '../components/status-badge';
import { href } from '../router';
import { BuildActions } from './build-actions';
import { BuildImages } from './build-images';
import { BuildLog } from './build-log';
import { BuildProgress } from './build-progress';
import { DockerfileNotFoundWizard } from './dockerfile-not-found';
import { SubBuilds } from './sub-builds';
import { buildDuration, buildRef, buildTitle, formatDuration, timeAgo, triggerText } from './format';

interface BuildRowProps {
  build: Build;
  subBuilds: Build[];
  expanded: boolean;
  now: number;
  onToggle: () => void;
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
  busy: boolean;
}

/** One build: summary line (status, branch, trigger, duration, progress, actions) and, expanded, its log. */
export function BuildRow({ build, subBuilds, expanded, now, onToggle, onCancel, onRetry, busy }: BuildRowProps) {
  const detailsId = `build-${build.id}-details`;
  const title = buildTitle(build);
  return (
    <li className="build-row" data-status={build.status} aria-label={`Build ${title}, ${build.status}`}>
      <div className="build-summary">
        <button
          type="button"
          className="expand"
          aria-expanded={expanded}
          aria-controls={detailsId}
          aria-label={`${expanded ? 'Hide' : 'Show'} log of ${title}`}
          onClick={onToggle}
        >
          <ChevronIcon />
        </button>
        <BuildHeadline build={build} title={title} subprojects={subBuilds.length} now={now} />
        <StatusBadge status={build.status} />
        <div className="build-branch build-meta">
          <span className="visually-hidden">Branch </span>
          {buildRef(build)} · <span title="Duration">{formatDuration(buildDuration(build, now))}</span>
        </div>
        <BuildProgress build={build} />
        <BuildActions build={build} onCancel={onCancel} onRetry={onRetry} busy={busy} />
      </div>
      {expanded && (
        <BuildDetails
          id={detailsId}
          build={build}
          subBuilds={subBuilds}
          now={now}
          onCancel={onCancel}
          onRetry={onRetry}
          busy={busy}
        />
      )}
    </li>
  );
}

/** The build's title (its commit's subject) and what started it, when, at which commit, with how many sub-projects. */
function BuildHeadline({
  build,
  title,
  subprojects,
  now,
}: {
  build: Build;
  title: string;
  subprojects: number;
  now: number;
}) {
  return (
    <div style={{ minWidth: 0 }}>
      <div className="build-title" title={build.commitMessage ?? build.id}>
        {title}
      </div>
      <div className="build-meta">
        {triggerText(build)} · {timeAgo(build.createdAt, now)}
        {build.sha && (
          <>
            {' '}
            · <code>{build.sha.slice(0, 8)}</code>
          </>
        )}
        {subprojects > 0 && <> · {subprojects} sub-projects</>}
      </div>
    </div>
  );
}

/** An expanded build: its error, the Build Wizard offer, images, sub-project builds and the live log. */
function BuildDetails({
  id,
  build,
  subBuilds,
  now,
  onCancel,
  onRetry,
  busy,
}: Omit<BuildRowProps, 'expanded' | 'onToggle'> & { id: string }) {
  return (
    <div className="build-details" id={id}>
      {build.error && (
        <p className="build-error" role="alert">
          {build.error}
        </p>
      )}
      <DockerfileNotFoundWizard build={build} />
      <p className="build-meta">
        <a href={href('builds', build.id)}>Open the build page</a> (images, digests, workflow)
      </p>
      {(build.images.length > 0 || subBuilds.some((child) => child.images.length > 0)) && (
        <BuildImages build={build} subBuilds={subBuilds} />
      )}
      {subBuilds.length > 0 && (
        <SubBuilds builds={subBuilds} now={now} onCancel={onCancel} onRetry={onRetry} busy={busy} />
      )}
      <BuildLog build={build} />
    </div>
  );
}
