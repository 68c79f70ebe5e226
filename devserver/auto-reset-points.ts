// Auto reset points, as the real server records them on workflow task completion: one per (binary checksum,
// build id) pair, at the first task a worker with that pair completed, resettable when no child start, external
// cancel or external signal was pending there; the newest 20 are kept (`history.historyMaxAutoResetPoints`).
import type { temporal } from '@temporalio/proto';
import type { Ctx } from './context';
import { retentionMs } from './namespaces';
import { timestamp, toMs, type HistoryEvent, type Timestamp } from './proto';
import { CHILD_OUTCOMES } from './reset-point';
import type { WorkflowRun } from './state';

const MAX_AUTO_RESET_POINTS = 20;

// Events that leave something pending (by their own id) and those that resolve it (by initiatedEventId).
const INITIATED = [
  'startChildWorkflowExecutionInitiatedEventAttributes',
  'requestCancelExternalWorkflowExecutionInitiatedEventAttributes',
  'signalExternalWorkflowExecutionInitiatedEventAttributes',
] as const;
const RESOLVED = [
  ...CHILD_OUTCOMES,
  'externalWorkflowExecutionCancelRequestedEventAttributes',
  'requestCancelExternalWorkflowExecutionFailedEventAttributes',
  'externalWorkflowExecutionSignaledEventAttributes',
  'signalExternalWorkflowExecutionFailedEventAttributes',
] as const;

function trackPending(pending: Set<number>, e: HistoryEvent): void {
  if (INITIATED.some((field) => e[field])) pending.add(Number(e.eventId));
  for (const field of RESOLVED) if (e[field]) pending.delete(Number(e[field].initiatedEventId));
}

type ResetPointInfo = Omit<temporal.api.workflow.v1.IResetPointInfo, 'createTime' | 'expireTime'> & {
  createTime?: Timestamp | null;
  expireTime?: Timestamp | null;
};

/**
 * The points a run inherits from the run it continues (continue-as-new, retry, cron: `prev_auto_reset_points` of
 * its start), those of that run expiring with the namespace's retention from this run's start, as on the real
 * server (rolloverAutoResetPointsWithExpiringTime).
 */
function inheritedPoints(run: WorkflowRun, retentionMs: number): ResetPointInfo[] {
  const startedEvent = run.history[0];
  const started = startedEvent?.workflowExecutionStartedEventAttributes;
  const expireTime = timestamp(toMs(startedEvent?.eventTime) + retentionMs);
  return (started?.prevAutoResetPoints?.points ?? []).map((point) =>
    point.runId === started?.continuedExecutionRunId ? { ...point, expireTime } : point,
  );
}

/**
 * The run's WorkflowExecutionInfo.auto_reset_points: those it inherited, then one for each (binary checksum, build
 * id) pair none of them has yet.
 */
export function autoResetPoints(ctx: Ctx, run: WorkflowRun): { points: ResetPointInfo[] } {
  let points = inheritedPoints(run, retentionMs(ctx, run.namespace));
  const pending = new Set<number>();
  for (const e of run.history) {
    const done = e.workflowTaskCompletedEventAttributes;
    const binaryChecksum = done?.binaryChecksum ?? '';
    const buildId = done?.workerVersion?.buildId ?? '';
    if (done && !points.some((p) => (p.binaryChecksum ?? '') === binaryChecksum && (p.buildId ?? '') === buildId)) {
      const point = {
        binaryChecksum,
        buildId,
        runId: run.runId,
        firstWorkflowTaskCompletedId: e.eventId,
        createTime: e.eventTime,
        resettable: pending.size === 0,
      };
      points = [...points, point].slice(-MAX_AUTO_RESET_POINTS);
    }
    trackPending(pending, e);
  }
  return { points };
}
