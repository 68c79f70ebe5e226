import type { Build } from '../api/types';
import { LogViewer } from '../logs/log-viewer';
import { isActive } from './format';
import { useRefreshBuilds } from './queries';
import { useBuildLog } from './use-build-log';

/** The live log of one build. */
export function BuildLog({ build }: { build: Build }) {
  const { lines } = useBuildLog(build.id, useRefreshBuilds(build.serviceId));
  return (
    <LogViewer
      lines={lines}
      label={`Build log of ${build.id.slice(0, 8)}`}
      live={isActive(build)}
      height={360}
      emptyText={isActive(build) ? 'Waiting for the first log line…' : 'This build wrote no log.'}
    />
  );
}
