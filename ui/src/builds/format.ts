import { isFinishedBuildStatus } from '../../../domain/build-status';
import type { Build } from '../api/types';

/** Statuses in which a build can still change. */
export const isActive = (build: Pick<Build, 'status'>) => !isFinishedBuildStatus(build.status);

/** "1m 05s", "12s", "1h 02m". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Elapsed time of a build: the recorded duration, or the running time so far. */
export function buildDuration(build: Build, now: number): number | null {
  if (build.durationMs != null) return build.durationMs;
  if (!build.startedAt) return null;
  const end = build.finishedAt ? Date.parse(build.finishedAt) : now;
  return end - Date.parse(build.startedAt);
}

/** "3 min ago" style relative time. */
export function timeAgo(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** The commit message's first line, or the build id when there is none (manual builds before clone). */
export function buildTitle(build: Build): string {
  const first = build.commitMessage?.split('\n')[0]?.trim();
  return first || `Build ${build.id.slice(0, 8)}`;
}

/** Who or what started the build, as the product page words it. */
export function triggerText(build: Build): string {
  if (build.trigger === 'webhook') return `Triggered by Webhook (${build.event.replace('_', ' ')})`;
  if (build.trigger === 'retry') return 'Retry';
  return 'Manual';
}

/** The branch or tag the build ran against. */
export function buildRef(build: Build): string {
  if (build.mergeRequestIid != null) return `merge request !${build.mergeRequestIid} (${build.branch ?? build.ref})`;
  if (build.pullRequestNumber != null) return `pull request #${build.pullRequestNumber} (${build.branch ?? build.ref})`;
  return build.tag ? `tag ${build.tag}` : (build.branch ?? build.ref.replace(/^refs\/(heads|tags)\//, ''));
}
