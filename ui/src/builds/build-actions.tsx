import type { Build } from '../api/types';
import { ExternalIcon } from '../components/icons';
import { buildTitle, isActive } from './format';

/** Cancel (pending/building), Retry (failed/cancelled) and the Temporal Web UI link of one build. */
export function BuildActions({
  build,
  onCancel,
  onRetry,
  busy,
}: {
  build: Build;
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
  busy: boolean;
}) {
  const name = buildTitle(build);
  return (
    <div className="build-actions">
      {isActive(build) && (
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => onCancel(build.id)}
          aria-label={`Cancel ${name}`}
        >
          Cancel
        </button>
      )}
      {(build.status === 'Failed' || build.status === 'Cancelled') && (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => onRetry(build.id)}
          aria-label={`Retry ${name}`}
        >
          Retry
        </button>
      )}
      {build.temporalUrl && (
        <a
          className="button secondary-link"
          href={build.temporalUrl}
          target="_blank"
          rel="noreferrer"
          aria-label={`Workflow of ${name} in Temporal Web UI`}
        >
          Workflow <ExternalIcon size={14} />
        </a>
      )}
    </div>
  );
}
