// Commands that reach other workflows: start a child, signal or cancel an external workflow.
import { randomUUID } from 'node:crypto';
import { ParentClose } from './codes';
import { startRun } from './closing';
import type { Ctx } from './context';
import { addEvent, append } from './history';
import { decideStart } from './id-policy';
import { toMs, type Command } from './proto';
import { requestCancelRun, signalRun } from './run-requests';
import { rootExecutionOf } from './runs';
import { isClosed, workflowKey, type WorkflowRun } from './state';

type Attrs<K extends keyof Command> = NonNullable<Command[K]>;

type ChildAttrs = Attrs<'startChildWorkflowExecutionCommandAttributes'>;

/** Writes StartChildWorkflowExecutionInitiated; returns its event id. */
function writeInitiated(run: WorkflowRun, a: ChildAttrs, namespace: string, completedEventId: number): number {
  const initiated = append(run, 'StartChildWorkflowExecutionInitiated', {
    namespace,
    workflowId: a.workflowId ?? '',
    workflowType: a.workflowType ?? null,
    taskQueue: { name: a.taskQueue?.name || run.taskQueue, kind: 1 },
    input: a.input ?? null,
    workflowExecutionTimeout: a.workflowExecutionTimeout ?? null,
    workflowRunTimeout: a.workflowRunTimeout ?? null,
    workflowTaskTimeout: a.workflowTaskTimeout ?? null,
    parentClosePolicy: a.parentClosePolicy || ParentClose.TERMINATE,
    control: a.control ?? '',
    workflowTaskCompletedEventId: completedEventId,
    workflowIdReusePolicy: a.workflowIdReusePolicy ?? 0,
    retryPolicy: a.retryPolicy ?? null,
    cronSchedule: a.cronSchedule ?? '',
    header: a.header ?? null,
    memo: a.memo ?? null,
    searchAttributes: a.searchAttributes ?? null,
    priority: a.priority ?? null,
  });
  return Number(initiated.eventId);
}

/** Starts the child's first run, its parent this run. */
function startChildRun(
  ctx: Ctx,
  run: WorkflowRun,
  a: ChildAttrs,
  ids: { namespace: string; initiatedEventId: number },
  userMetadata: Command['userMetadata'],
): WorkflowRun {
  return startRun(ctx, {
    namespace: ids.namespace,
    workflowId: a.workflowId ?? '',
    workflowType: a.workflowType?.name ?? '',
    taskQueue: a.taskQueue?.name || run.taskQueue,
    input: a.input ?? null,
    executionTimeoutMs: toMs(a.workflowExecutionTimeout),
    runTimeoutMs: toMs(a.workflowRunTimeout),
    taskTimeoutMs: toMs(a.workflowTaskTimeout),
    requestId: randomUUID(),
    retryPolicy: a.retryPolicy ?? null,
    memo: a.memo?.fields ?? null,
    searchAttributes: a.searchAttributes?.indexedFields ?? null,
    header: a.header ?? null,
    parent: {
      namespace: run.namespace,
      workflowId: run.workflowId,
      runId: run.runId,
      initiatedEventId: ids.initiatedEventId,
    },
    userMetadata,
    priority: a.priority ?? null,
    rootExecution: rootExecutionOf(run),
  });
}

/** StartChildWorkflowExecution: Initiated now, then Started or StartChildWorkflowExecutionFailed. */
export function startChild(
  ctx: Ctx,
  run: WorkflowRun,
  a: ChildAttrs,
  completedEventId: number,
  userMetadata: Command['userMetadata'] = null,
): void {
  const namespace = a.namespace || run.namespace;
  const initiatedEventId = writeInitiated(run, a, namespace, completedEventId);
  const workflowId = a.workflowId ?? '';
  const decision = decideStart(ctx, {
    namespace,
    workflowId,
    requestId: randomUUID(),
    reusePolicy: a.workflowIdReusePolicy ?? 0,
    conflictPolicy: 1,
  });
  if (decision.kind !== 'start') {
    addEvent(ctx, run, 'StartChildWorkflowExecutionFailed', {
      namespace,
      workflowId,
      workflowType: a.workflowType ?? null,
      cause: 1,
      control: a.control ?? '',
      initiatedEventId,
      workflowTaskCompletedEventId: completedEventId,
    });
    return;
  }
  const child = startChildRun(ctx, run, a, { namespace, initiatedEventId }, userMetadata);
  run.children.set(initiatedEventId, {
    initiatedEventId,
    namespace,
    workflowId,
    runId: child.runId,
    workflowType: child.workflowType,
    parentClosePolicy: a.parentClosePolicy || ParentClose.TERMINATE,
    started: true,
  });
  const started = { namespace, initiatedEventId, workflowExecution: { workflowId, runId: child.runId } };
  addEvent(
    ctx,
    run,
    'ChildWorkflowExecutionStarted',
    { ...started, workflowType: a.workflowType ?? null, header: a.header ?? null },
    { recordAs: `child:${initiatedEventId}` },
  );
}

function findTarget(
  ctx: Ctx,
  namespace: string,
  execution: { workflowId?: string | null; runId?: string | null } | null | undefined,
): WorkflowRun | undefined {
  const runId = execution?.runId || ctx.state.latest.get(workflowKey(namespace, execution?.workflowId ?? ''));
  const target = runId ? ctx.state.runs.get(runId) : undefined;
  if (!target || target.workflowId !== execution?.workflowId || isClosed(target)) return undefined;
  return target;
}

/** SignalExternalWorkflowExecution: Initiated, then the target is signalled and the source told the outcome. */
export function signalExternal(
  ctx: Ctx,
  run: WorkflowRun,
  a: Attrs<'signalExternalWorkflowExecutionCommandAttributes'>,
  completedEventId: number,
): void {
  const namespace = a.namespace || run.namespace;
  const common = { namespace, workflowExecution: a.execution ?? null, control: a.control ?? '' };
  const initiated = append(run, 'SignalExternalWorkflowExecutionInitiated', {
    ...common,
    signalName: a.signalName ?? '',
    input: a.input ?? null,
    childWorkflowOnly: a.childWorkflowOnly ?? false,
    header: a.header ?? null,
    workflowTaskCompletedEventId: completedEventId,
  });
  const initiatedEventId = Number(initiated.eventId);
  const target = findTarget(ctx, namespace, a.execution);
  if (!target || target === run) {
    addEvent(ctx, run, 'SignalExternalWorkflowExecutionFailed', {
      ...common,
      cause: 1,
      initiatedEventId,
      workflowTaskCompletedEventId: completedEventId,
    });
    return;
  }
  signalRun(ctx, target, {
    signalName: a.signalName ?? '',
    input: a.input ?? null,
    header: a.header ?? null,
    external: { initiatedEventId, workflowId: run.workflowId, runId: run.runId, namespace: run.namespace },
  });
  addEvent(ctx, run, 'ExternalWorkflowExecutionSignaled', { ...common, initiatedEventId });
}

/** RequestCancelExternalWorkflowExecution: Initiated, then the target gets a cancel request. */
export function cancelExternal(
  ctx: Ctx,
  run: WorkflowRun,
  a: Attrs<'requestCancelExternalWorkflowExecutionCommandAttributes'>,
  completedEventId: number,
): void {
  const namespace = a.namespace || run.namespace;
  const execution = { workflowId: a.workflowId ?? '', runId: a.runId ?? '' };
  const common = { namespace, workflowExecution: execution, control: a.control ?? '' };
  const initiated = append(run, 'RequestCancelExternalWorkflowExecutionInitiated', {
    ...common,
    childWorkflowOnly: a.childWorkflowOnly ?? false,
    reason: a.reason ?? '',
    workflowTaskCompletedEventId: completedEventId,
  });
  const initiatedEventId = Number(initiated.eventId);
  const target = findTarget(ctx, namespace, execution);
  if (!target || target === run) {
    addEvent(ctx, run, 'RequestCancelExternalWorkflowExecutionFailed', {
      ...common,
      cause: 1,
      initiatedEventId,
      workflowTaskCompletedEventId: completedEventId,
    });
    return;
  }
  requestCancelRun(ctx, target, {
    reason: a.reason ?? '',
    external: { initiatedEventId, workflowId: run.workflowId, runId: run.runId },
  });
  addEvent(ctx, run, 'ExternalWorkflowExecutionCancelRequested', {
    namespace,
    workflowExecution: execution,
    initiatedEventId,
  });
}
