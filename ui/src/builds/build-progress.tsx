import type { Build } from '../api/types';

/** The 0–100 % progress bar with the current step underneath. */
export function BuildProgress({ build }: { build: Build }) {
  const value = Math.max(0, Math.min(100, Math.round(build.progress)));
  const tone = { Succeeded: ' done', Failed: ' failed', Cancelled: ' cancelled' }[build.status as string] ?? '';
  return (
    <div className="build-progress-cell">
      <div
        className={`progress${tone}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-label={`Progress of build ${build.id.slice(0, 8)}`}
      >
        <span style={{ width: `${value}%` }} />
      </div>
      <div className="build-step">
        {value}% · {build.currentStep}
      </div>
    </div>
  );
}
