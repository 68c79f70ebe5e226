// ContinueAsNew: the run closes with WorkflowExecutionContinuedAsNew and the next run of its chain starts, with the
// command's settings over the closing run's.
import { randomUUID } from 'node:crypto';
import { closeRun, startRun } from './closing';
import type { Ctx } from './context';
import { toMs, type Command } from './proto';
import type { StartParams } from './runs';
import type { WorkflowRun } from './state';

type ContinueAsNewAttrs = NonNullable<Command['continueAsNewWorkflowExecutionCommandAttributes']>;

/** What the next run starts from: the command's type, queue, input and timeouts, else the closing run's. */
function nextRunParams(run: WorkflowRun, cmd: ContinueAsNewAttrs): StartParams {
  const started = run.history[0]?.workflowExecutionStartedEventAttributes;
  return {
    namespace: run.namespace,
    workflowId: run.workflowId,
    workflowType: cmd.workflowType?.name || run.workflowType,
    taskQueue: cmd.taskQueue?.name || run.taskQueue,
    input: cmd.input ?? null,
    executionTimeoutMs: toMs(started?.workflowExecutionTimeout),
    runTimeoutMs: toMs(cmd.workflowRunTimeout) || toMs(started?.workflowRunTimeout),
    taskTimeoutMs: toMs(cmd.workflowTaskTimeout) || run.workflowTaskTimeoutMs,
    requestId: randomUUID(),
    retryPolicy: cmd.retryPolicy ?? null,
    memo: cmd.memo?.fields ?? run.memo,
    searchAttributes: cmd.searchAttributes?.indexedFields ?? run.searchAttributes,
    header: cmd.header ?? null,
    parent: run.parent,
    firstRunId: run.firstRunId,
    continuedRunId: run.runId,
    continuedFailure: cmd.failure ?? null,
    lastCompletionResult: cmd.lastCompletionResult ?? null,
    initiator: cmd.initiator ?? 1,
    executionDeadline: run.executionDeadline,
    priority: started?.priority ?? null,
    rootExecution: started?.rootWorkflowExecution ?? null,
  };
}

/** Closes `run` with WorkflowExecutionContinuedAsNew and starts the next run of the same chain. */
export function continueAsNew(ctx: Ctx, run: WorkflowRun, cmd: ContinueAsNewAttrs, completedEventId: number): void {
  const params = nextRunParams(run, cmd);
  const newRunId = randomUUID();
  run.newExecutionRunId = newRunId;
  closeRun(ctx, run, 'WorkflowExecutionContinuedAsNew', {
    newExecutionRunId: newRunId,
    workflowType: { name: params.workflowType },
    taskQueue: { name: params.taskQueue, kind: 1 },
    input: cmd.input ?? null,
    workflowRunTimeout: cmd.workflowRunTimeout ?? null,
    workflowTaskTimeout: cmd.workflowTaskTimeout ?? null,
    workflowTaskCompletedEventId: completedEventId,
    backoffStartInterval: cmd.backoffStartInterval ?? null,
    initiator: cmd.initiator ?? 1,
    failure: cmd.failure ?? null,
    lastCompletionResult: cmd.lastCompletionResult ?? null,
    header: cmd.header ?? null,
    memo: cmd.memo ?? null,
    searchAttributes: cmd.searchAttributes ?? null,
  });
  startRun(ctx, { ...params, runId: newRunId });
}
