// What a closing child tells its parent: the Child… event on the parent run that started it, or on the run a reset
// of that parent started (the real server follows the reset run id), only while that run still waits for the child.
import type { Ctx } from './context';
import { addEvent } from './history';
import type { AttrsOf, EventName } from './proto';
import { isClosed, type WorkflowRun } from './state';

/** The close events a parent hears about. */
export type ChildCloseName =
  | 'WorkflowExecutionCompleted'
  | 'WorkflowExecutionFailed'
  | 'WorkflowExecutionCanceled'
  | 'WorkflowExecutionTerminated'
  | 'WorkflowExecutionTimedOut';

const CHILD_EVENT: Record<ChildCloseName, EventName> = {
  WorkflowExecutionCompleted: 'ChildWorkflowExecutionCompleted',
  WorkflowExecutionFailed: 'ChildWorkflowExecutionFailed',
  WorkflowExecutionCanceled: 'ChildWorkflowExecutionCanceled',
  WorkflowExecutionTerminated: 'ChildWorkflowExecutionTerminated',
  WorkflowExecutionTimedOut: 'ChildWorkflowExecutionTimedOut',
};

/** The real server's bound on the reset links it follows (`maxResetRedirectCount`). */
const MAX_RESET_HOPS = 100;

/** The open run that stands for the child's parent: the parent run, or the run its reset chain leads to. */
function parentRunOf(ctx: Ctx, child: WorkflowRun): WorkflowRun | undefined {
  let parent = child.parent ? ctx.state.runs.get(child.parent.runId) : undefined;
  for (let hops = 0; parent && isClosed(parent) && parent.resetRunId && hops < MAX_RESET_HOPS; hops++) {
    parent = ctx.state.runs.get(parent.resetRunId);
  }
  return parent && !isClosed(parent) ? parent : undefined;
}

/** Writes the child's outcome into its parent, if the parent still has it pending (else nothing, as there). */
export function notifyParent(ctx: Ctx, run: WorkflowRun, name: ChildCloseName, attrs: Record<string, unknown>): void {
  const ref = run.parent;
  const parent = parentRunOf(ctx, run);
  const pending = ref ? parent?.children.get(ref.initiatedEventId) : undefined;
  if (!ref || !parent || !pending || pending.workflowId !== run.workflowId) return;
  if (pending.runId && pending.runId !== run.firstRunId) return;
  parent.children.delete(ref.initiatedEventId);
  const childAttrs: Record<string, unknown> = {
    namespace: run.namespace,
    workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    workflowType: { name: run.workflowType },
    initiatedEventId: ref.initiatedEventId,
  };
  if ('result' in attrs) childAttrs.result = attrs.result;
  if ('failure' in attrs) childAttrs.failure = attrs.failure;
  if ('details' in attrs && name === 'WorkflowExecutionCanceled') childAttrs.details = attrs.details;
  if ('retryState' in attrs) childAttrs.retryState = attrs.retryState;
  addEvent(ctx, parent, CHILD_EVENT[name], childAttrs as AttrsOf<EventName>, {
    startedFrom: `child:${ref.initiatedEventId}`,
  });
}
