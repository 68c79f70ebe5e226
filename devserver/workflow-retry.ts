// Workflow-level retry policies: a failed or timed-out run whose start carried a RetryPolicy is followed by a
// new run (attempt + 1, initiator RETRY) after the backoff, like the real server's retry.
import { randomUUID } from 'node:crypto';
import { retryDecision } from './activity-outcomes';
import { toMs, type Failure } from './proto';
import type { StartParams } from './runs';
import type { WorkflowRun } from './state';

const INITIATOR_RETRY = 2;

/** The backoff before the next attempt of the run, or the retry state that ends the chain. */
export function workflowRetryPlan(run: WorkflowRun, failure: Failure | null): { delayMs: number } | { state: number } {
  const started = run.history[0]?.workflowExecutionStartedEventAttributes;
  const RETRY_POLICY_NOT_SET = 5;
  if (!started?.retryPolicy) return { state: RETRY_POLICY_NOT_SET };
  return retryDecision(
    { attempt: started.attempt || 1, scheduleToCloseDeadline: run.executionDeadline },
    started.retryPolicy,
    failure,
  );
}

/** How the next attempt of a failed run starts. */
export function retryStartParams(run: WorkflowRun, failure: Failure | null, delayMs: number): StartParams {
  const started = run.history[0]!.workflowExecutionStartedEventAttributes!;
  return {
    runId: randomUUID(),
    namespace: run.namespace,
    workflowId: run.workflowId,
    workflowType: run.workflowType,
    taskQueue: run.taskQueue,
    input: started.input ?? null,
    executionTimeoutMs: toMs(started.workflowExecutionTimeout),
    runTimeoutMs: toMs(started.workflowRunTimeout),
    taskTimeoutMs: run.workflowTaskTimeoutMs,
    requestId: randomUUID(),
    retryPolicy: started.retryPolicy ?? null,
    memo: run.memo,
    searchAttributes: run.searchAttributes,
    header: started.header ?? null,
    parent: run.parent,
    firstRunId: run.firstRunId,
    continuedRunId: run.runId,
    continuedFailure: failure,
    initiator: INITIATOR_RETRY,
    executionDeadline: run.executionDeadline,
    attempt: (started.attempt || 1) + 1,
    firstTaskDelayMs: delayMs,
    priority: started.priority ?? null,
    rootExecution: started.rootWorkflowExecution ?? null,
  };
}
