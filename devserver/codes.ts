// Enum numbers the devserver writes, named once (values from temporal.api.enums.v1).

/** WorkflowExecutionStatus. */
export const Status = {
  RUNNING: 1,
  COMPLETED: 2,
  FAILED: 3,
  CANCELED: 4,
  TERMINATED: 5,
  CONTINUED_AS_NEW: 6,
  TIMED_OUT: 7,
} as const;
/** RetryState. */
export const RetryState = {
  IN_PROGRESS: 1,
  NON_RETRYABLE_FAILURE: 2,
  TIMEOUT: 3,
  MAXIMUM_ATTEMPTS_REACHED: 4,
  RETRY_POLICY_NOT_SET: 5,
  CANCEL_REQUESTED: 7,
} as const;
/** TimeoutType. */
export const TimeoutType = { START_TO_CLOSE: 1, SCHEDULE_TO_START: 2, SCHEDULE_TO_CLOSE: 3, HEARTBEAT: 4 } as const;
/** WorkflowTaskFailedCause values the devserver writes itself. */
export const TaskFailedCause = {
  UNHANDLED_COMMAND: 1,
  FORCE_CLOSE_COMMAND: 17,
  BAD_SCHEDULE_NEXUS: 32,
  UNHANDLED_UPDATE: 31,
  START_TIMER_DUPLICATE_ID: 12,
  SCHEDULE_ACTIVITY_DUPLICATE_ID: 22,
} as const;
/** ParentClosePolicy. */
export const ParentClose = { UNSPECIFIED: 0, TERMINATE: 1, ABANDON: 2, REQUEST_CANCEL: 3 } as const;
/** TaskQueueKind. */
export const QueueKind = { NORMAL: 1, STICKY: 2 } as const;
/** The workflow statuses that count as closed for visibility names such as 'Completed'. */
export const STATUS_NAMES: Record<string, number> = {
  Running: 1,
  Completed: 2,
  Failed: 3,
  Canceled: 4,
  Terminated: 5,
  ContinuedAsNew: 6,
  TimedOut: 7,
};
