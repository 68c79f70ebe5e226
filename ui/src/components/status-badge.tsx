import type { BuildStatus } from '../api/types';

/** A build status as coloured text (never colour alone: the word is always there). */
export function StatusBadge({ status }: { status: BuildStatus }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}
