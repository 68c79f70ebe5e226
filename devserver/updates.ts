// Workflow updates, run as the real server's update registry runs them (service/history/workflow/update): admitted
// by UpdateWorkflowExecution, sent to the worker in a workflow task's messages, answered by the worker
// (update-answers.ts), and aborted when the run closes before that.
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { temporal } from '@temporalio/proto';
import Long from 'long';
import type { Ctx } from './context';
import { GrpcError } from './errors';
import { api, enums } from './proto';
import { scheduleSpeculativeTask } from './speculative';
import { isClosed, type UpdateRecord, type UpdateRequest, type WorkflowRun } from './state';

type Message = temporal.api.protocol.v1.IMessage;
type Outcome = temporal.api.update.v1.IOutcome;
type Failure = temporal.api.failure.v1.IFailure;

const LifecycleStage = enums.UpdateWorkflowExecutionLifecycleStage;
/** UpdateWorkflowExecutionLifecycleStage values. */
export const UpdateLifecycle = {
  UNSPECIFIED: LifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED,
  ADMITTED: LifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED,
  ACCEPTED: LifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED,
  COMPLETED: LifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED,
} as const;

/** The real server's defaults: `history.maxInFlightUpdates` and `history.maxTotalUpdates`. */
const MAX_IN_FLIGHT_UPDATES = 10;
const MAX_TOTAL_UPDATES = 2000;
/** The type URL prefix of update protocol message bodies. */
export const TYPE_URL_PREFIX = 'type.googleapis.com/temporal.api.update.v1.';

/** Where a waiting caller's update stands: its stage (and outcome once completed), an error, or "send it again". */
export type UpdateStatus = { stage: number; outcome?: Outcome } | { error: GrpcError } | { retry: true };

// Updates that left the registry (rejected or aborted) are settled here, for the callers still waiting on them;
// like the real server, nothing keeps a rejection once those callers have their answer.
const settled = new WeakMap<UpdateRecord, UpdateStatus>();

/** A non-retryable failure the server, not the workflow, gives an update. */
export const serverFailure = (message: string, type: string): Failure => ({
  message,
  source: 'Server',
  applicationFailureInfo: { type, nonRetryable: true },
});
const ACCEPTED_THEN_CLOSED_FAILURE = serverFailure(
  'Workflow Update failed because the Workflow completed before the Update completed.',
  'AcceptedUpdateCompletedWorkflow',
);

/** The id of the message that carries an update's request to the worker. */
export function requestMessageId(updateId: string): string {
  return `${updateId}/request`;
}

function checkLimits(run: WorkflowRun): void {
  const records = [...run.updates.values()];
  const inFlight = records.filter((u) => u.stage !== 'completed').length;
  if (inFlight >= MAX_IN_FLIGHT_UPDATES) {
    throw new GrpcError(
      GrpcStatus.RESOURCE_EXHAUSTED,
      `limit on number of concurrent in-flight updates has been reached (${MAX_IN_FLIGHT_UPDATES})`,
      {
        type: 'ResourceExhaustedFailure',
        value: {
          cause: enums.ResourceExhaustedCause.RESOURCE_EXHAUSTED_CAUSE_CONCURRENT_LIMIT,
          scope: enums.ResourceExhaustedScope.RESOURCE_EXHAUSTED_SCOPE_NAMESPACE,
        },
      },
    );
  }
  if (records.length >= MAX_TOTAL_UPDATES) {
    throw new GrpcError(
      GrpcStatus.FAILED_PRECONDITION,
      `The limit on the total number of distinct updates in this workflow has been reached (${MAX_TOTAL_UPDATES}).`,
    );
  }
}

/**
 * Admits an update to a running run, or returns the one it already has under that id (the same id gets the same
 * outcome). A run with no workflow task pending gets a speculative one to deliver it.
 */
export function admitUpdate(ctx: Ctx, run: WorkflowRun, request: UpdateRequest): UpdateRecord {
  const updateId = request.meta?.updateId ?? '';
  const existing = run.updates.get(updateId);
  if (existing) return existing;
  checkLimits(run);
  const record: UpdateRecord = {
    updateId,
    stage: 'admitted',
    request,
    admittedAt: Date.now(),
    acceptedEventId: 0,
    completedEventId: 0,
  };
  run.updates.set(updateId, record);
  if (run.wft.state === 'none') scheduleSpeculativeTask(ctx, run);
  ctx.changed(run);
  return record;
}

/** True while the run has updates no worker has answered yet (they need a workflow task). */
export function hasUndeliveredUpdates(run: WorkflowRun): boolean {
  return [...run.updates.values()].some((u) => u.stage === 'admitted' || u.stage === 'sent');
}

/**
 * The request messages of a workflow task: every update not yet answered, in admission order, sequenced after
 * the event before WorkflowTaskStarted as the real server does. They count as sent from now on.
 */
export function updateRequestMessages(run: WorkflowRun, startedEventId: number): Message[] {
  const outgoing = [...run.updates.values()]
    .filter((u) => (u.stage === 'admitted' || u.stage === 'sent') && u.request)
    .sort((a, b) => a.admittedAt - b.admittedAt);
  return outgoing.map((u) => {
    u.stage = 'sent';
    const RequestMsg = api.update.v1.Request;
    return {
      id: requestMessageId(u.updateId),
      protocolInstanceId: u.updateId,
      eventId: Long.fromNumber(startedEventId - 1),
      body: {
        type_url: `${TYPE_URL_PREFIX}Request`,
        value: RequestMsg.encode(RequestMsg.fromObject(u.request!)).finish(),
      },
    };
  });
}

/** Takes an update out of the registry, leaving `status` for the callers still waiting on it. */
export function settle(run: WorkflowRun, record: UpdateRecord, status: UpdateStatus): void {
  run.updates.delete(record.updateId);
  settled.set(record, status);
}

/** Aborts one unanswered update of a closing run: sent again into the next run when `continuing`, else failed. */
export function abortOne(run: WorkflowRun, record: UpdateRecord, continuing: boolean): void {
  // Accepted updates stay: their outcome is AcceptedUpdateCompletedWorkflow from now on (updateStatus).
  if (record.stage !== 'admitted' && record.stage !== 'sent') return;
  // Not seen by the workflow yet: into a new run (continue-as-new, retry) the caller's request goes again, as the
  // real server retries it internally; a closed workflow fails it.
  const error = new GrpcError(GrpcStatus.NOT_FOUND, 'workflow update was aborted by closing workflow', {
    type: 'NotFoundFailure',
    value: {},
  });
  settle(run, record, continuing ? { retry: true } : { error });
}

// Closes that happen while a workflow task completes abort its updates only once all its answers are applied.
const completing = new WeakSet<WorkflowRun>();

/** Runs a task completion; a close inside it aborts the run's updates after the completion's answers. */
export function whileCompletingTask<T>(run: WorkflowRun, fn: () => T): T {
  completing.add(run);
  try {
    return fn();
  } finally {
    completing.delete(run);
  }
}

/** Aborts the unanswered updates of a closed run; `continuing` when a new run (continue-as-new, retry) follows. */
export function abortUpdates(run: WorkflowRun, continuing: boolean): void {
  for (const record of [...run.updates.values()]) abortOne(run, record, continuing);
}

/** Aborts the updates of a run that just closed, unless a task completion will once its answers are applied. */
export function abortUpdatesOnClose(run: WorkflowRun, continuing: boolean): void {
  if (!completing.has(run)) abortUpdates(run, continuing);
}

/**
 * A workflow task that carried updates failed while completing: the updates it delivered fail (the workflow saw
 * them, so they are not sent again), the ones it did not deliver wait for the next task.
 */
export function failDeliveredUpdates(run: WorkflowRun): void {
  for (const record of [...run.updates.values()]) {
    if (record.stage !== 'sent') continue;
    const message = 'Unable to perform workflow execution update due to unexpected workflow task failure.';
    settle(run, record, {
      error: new GrpcError(GrpcStatus.FAILED_PRECONDITION, message, { type: 'WorkflowNotReadyFailure', value: {} }),
    });
  }
}

/** Where an update stands now (the run object it was found on). */
export function updateStatus(run: WorkflowRun, record: UpdateRecord): UpdateStatus {
  const done = settled.get(record);
  if (done) return done;
  if (record.stage === 'completed') {
    const attrs = run.history[record.completedEventId - 1]?.workflowExecutionUpdateCompletedEventAttributes;
    return { stage: UpdateLifecycle.COMPLETED, outcome: attrs?.outcome ?? {} };
  }
  if (record.stage === 'accepted') {
    if (!isClosed(run)) return { stage: UpdateLifecycle.ACCEPTED };
    return { stage: UpdateLifecycle.COMPLETED, outcome: { failure: ACCEPTED_THEN_CLOSED_FAILURE } };
  }
  return { stage: UpdateLifecycle.ADMITTED };
}
