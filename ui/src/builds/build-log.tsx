import type { Build } from '../api/types';
import { LogViewer } from '../logs/log-viewer';
import { buildTitle, isActive } from './format';
import { useRefreshBuilds } from './queries';
import { useBuildLog } from './use-build-log';

/** The live log of one build. */
export function BuildLog({ build, label = `Build log of ${buildTitle(build)}` }: { build: Build; label?: string }) {
  const { lines } = useBuildLog(build.id, useRefreshBuilds(build.serviceId));
  return (
    <LogViewer
      lines={lines}
      label={label}
      live={isActive(build)}
      height={360}
      emptyText={isActive(build) ? 'Waiting for the first log line…' : 'This build wrote no log.'}
    />
  );
}
