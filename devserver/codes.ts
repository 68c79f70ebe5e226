// Enum values the devserver writes, taken from @temporalio/proto (temporal.api.enums.v1) under short names.
import { enums } from './proto';

/** An enum's members without their common prefix: `WORKFLOW_EXECUTION_STATUS_RUNNING` becomes `RUNNING`. */
type Unprefixed<E, P extends string> = { readonly [K in keyof E as K extends `${P}${infer R}` ? R : never]: E[K] };

function unprefixed<E extends object, P extends string>(values: E, prefix: P): Unprefixed<E, P> {
  const entries = Object.entries(values).filter(([name]) => name.startsWith(prefix));
  return Object.fromEntries(entries.map(([name, value]) => [name.slice(prefix.length), value])) as Unprefixed<E, P>;
}

/** WorkflowExecutionStatus. */
export const Status = unprefixed(enums.WorkflowExecutionStatus, 'WORKFLOW_EXECUTION_STATUS_');
/** RetryState. */
export const RetryState = unprefixed(enums.RetryState, 'RETRY_STATE_');
/** TimeoutType. */
export const TimeoutType = unprefixed(enums.TimeoutType, 'TIMEOUT_TYPE_');
/** WorkflowTaskFailedCause. */
export const TaskFailedCause = unprefixed(enums.WorkflowTaskFailedCause, 'WORKFLOW_TASK_FAILED_CAUSE_');
/** ParentClosePolicy. */
export const ParentClose = unprefixed(enums.ParentClosePolicy, 'PARENT_CLOSE_POLICY_');
/** TaskQueueKind. */
export const QueueKind = unprefixed(enums.TaskQueueKind, 'TASK_QUEUE_KIND_');
/** IndexedValueType: the type of a search attribute. */
export const IndexedValueType = unprefixed(enums.IndexedValueType, 'INDEXED_VALUE_TYPE_');
/** ResetReapplyType. */
export const ResetReapplyType = unprefixed(enums.ResetReapplyType, 'RESET_REAPPLY_TYPE_');
/** ResetReapplyExcludeType. */
export const ResetReapplyExcludeType = unprefixed(enums.ResetReapplyExcludeType, 'RESET_REAPPLY_EXCLUDE_TYPE_');
/** PendingWorkflowTaskState (describe's pending workflow task). */
export const PendingWorkflowTaskState = unprefixed(enums.PendingWorkflowTaskState, 'PENDING_WORKFLOW_TASK_STATE_');
/** HistoryEventFilterType. */
export const HistoryEventFilter = unprefixed(enums.HistoryEventFilterType, 'HISTORY_EVENT_FILTER_TYPE_');
/** QueryResultType. */
export const QueryResultType = unprefixed(enums.QueryResultType, 'QUERY_RESULT_TYPE_');
/** PendingActivityState (describe's pending activities). */
export const PendingActivityState = unprefixed(enums.PendingActivityState, 'PENDING_ACTIVITY_STATE_');

/** `CONTINUED_AS_NEW` → `ContinuedAsNew`: how visibility queries and the real server spell enum values. */
export function pascalName(shortName: string): string {
  return shortName
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** Workflow statuses by their visibility names ('Running', 'Completed', … 'ContinuedAsNew'). */
export const STATUS_NAMES: Record<string, number> = Object.fromEntries(
  Object.entries(Status)
    .filter(([name]) => name !== 'UNSPECIFIED')
    .map(([name, value]) => [pascalName(name), value]),
);
