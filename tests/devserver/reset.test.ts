// Conformance: ResetWorkflowExecution (new run from a workflow task, old run terminated, signals re-applied,
// request id idempotency) and ResetStickyTaskQueue, against the devserver or TEMPORAL_ADDRESS.
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { WorkflowHandle } from '@temporalio/client';
import Long from 'long';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOperatorHarness, type OperatorHarness } from './operator-harness';
import { addSignal, finishSignal, stepsQuery } from './operator-workflows';

const { EventType, ResetReapplyType, WorkflowTaskFailedCause } = temporal.api.enums.v1;

let h: OperatorHarness;
beforeAll(async () => {
  h = await startOperatorHarness();
});
afterAll(async () => {
  await h?.close();
});

type Counter = { total: number; steps: string[] };

/** Starts the counter, lets it pass its activity and timer, and sends add(2) and add(3). */
async function countedTo5(): Promise<WorkflowHandle> {
  const handle = await h.temporal.client.workflow.start('resetCounterWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: h.id('reset'),
  });
  await h.waitFor(async () => (await handle.query(stepsQuery)).length === 3);
  await handle.signal(addSignal, 2);
  await handle.signal(addSignal, 3);
  return handle;
}

/** The event id of the run's `n`th WorkflowTaskCompleted (1-based). */
async function taskCompletedId(handle: WorkflowHandle, n = 1): Promise<number> {
  const { events } = await handle.fetchHistory();
  const completed = events!.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  return Number(completed[n - 1]!.eventId);
}

function reset(
  handle: WorkflowHandle,
  runId: string,
  finishId: number,
  extra: object = {},
): Promise<{ runId: string }> {
  const request = h.temporal.connection.workflowService.resetWorkflowExecution({
    namespace: h.temporal.namespace,
    workflowExecution: { workflowId: handle.workflowId, runId },
    workflowTaskFinishEventId: Long.fromNumber(finishId),
    reason: 'deploy the fix',
    requestId: randomUUID(),
    ...extra,
  });
  return request.then((answer) => ({ runId: answer.runId ?? '' }));
}

async function refusal(call: Promise<unknown>): Promise<{ code?: number; details?: string }> {
  const err = (await call.then(
    () => ({}),
    (e: unknown) => e,
  )) as { code?: number; details?: string };
  return { code: err.code, details: err.details };
}

describe('devserver conformance: ResetWorkflowExecution', () => {
  it('starts a new run from the workflow task, terminates the old one and re-applies its signals', async () => {
    const handle = await countedTo5();
    const base = await handle.describe();
    const before: string[] = await handle.query(stepsQuery);
    // The second workflow task is the one the activity result woke: the first stays as it ran.
    const finishId = await taskCompletedId(handle, 2);
    const requestId = randomUUID();
    const { runId } = await reset(handle, base.runId, finishId, { requestId });
    expect(runId).not.toBe(base.runId);
    // The same request again is the same reset.
    expect((await reset(handle, base.runId, finishId, { requestId })).runId).toBe(runId);

    const old = h.temporal.client.workflow.getHandle(handle.workflowId, base.runId);
    expect((await old.describe()).status.name).toBe('TERMINATED');
    const oldEvents = (await old.fetchHistory()).events!;
    expect(oldEvents.at(-1)?.workflowExecutionTerminatedEventAttributes?.reason).toBe('deploy the fix');

    const fresh = h.temporal.client.workflow.getHandle(handle.workflowId, runId);
    const events = (await fresh.fetchHistory()).events!;
    const shape = (e: temporal.api.history.v1.IHistoryEvent) => [Number(e.eventId), e.eventType];
    expect(events.slice(0, finishId - 1).map(shape)).toEqual(oldEvents.slice(0, finishId - 1).map(shape));
    const failed = events[finishId - 1]!.workflowTaskFailedEventAttributes!;
    expect(failed.cause).toBe(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
    expect(failed.failure?.message).toBe('deploy the fix');
    expect(failed.failure?.resetWorkflowFailureInfo).toBeTruthy();
    expect([failed.baseRunId, failed.newRunId]).toEqual([base.runId, runId]);
    const signals = events.filter((e) => e.workflowExecutionSignaledEventAttributes).map((e) => Number(e.eventId));
    expect(signals).toEqual([finishId + 1, finishId + 2]);

    await fresh.signal(finishSignal);
    const result: Counter = await fresh.result();
    expect(result.total).toBe(5);
    // What ran before the reset point is replayed as it was (the first task's random id, the activity's result
    // recorded before the point); the reset task and what follows run with the new run's random seed.
    expect(result.steps.slice(0, 2)).toEqual(before.slice(0, 2));
    expect(result.steps[2]).not.toBe(before[2]);
    expect((await handle.describe()).runId).toBe(runId);
    await h.replay(handle.workflowId, runId);
  });

  it('re-applies nothing with reset_reapply_type NONE, and resets a closed run too', async () => {
    const handle = await countedTo5();
    const { runId: baseRunId } = await handle.describe();
    await handle.signal(finishSignal);
    expect(((await handle.result()) as Counter).total).toBe(5);
    const finishId = await taskCompletedId(handle);
    const { runId } = await reset(handle, baseRunId, finishId, {
      resetReapplyType: ResetReapplyType.RESET_REAPPLY_TYPE_NONE,
    });
    expect((await h.temporal.client.workflow.getHandle(handle.workflowId, baseRunId).describe()).status.name).toBe(
      'COMPLETED',
    );
    const fresh = h.temporal.client.workflow.getHandle(handle.workflowId, runId);
    await h.waitFor(async () => (await fresh.query(stepsQuery)).length === 3);
    await fresh.signal(finishSignal);
    expect(((await fresh.result()) as Counter).total).toBe(0);
  });

  it('refuses reset points the real server refuses', async () => {
    const handle = await countedTo5();
    const { runId, historyLength } = await handle.describe();
    const invalid = (details: string) => ({ code: GrpcStatus.INVALID_ARGUMENT, details });
    const range = 'Workflow task finish ID must be > 1 && <= workflow last event ID.';
    expect(await refusal(reset(handle, runId, 1))).toEqual(invalid(range));
    expect(await refusal(reset(handle, runId, historyLength + 1000))).toEqual(invalid(range));
    const finishId = await taskCompletedId(handle);
    // The event after WorkflowTaskCompleted is the activity it scheduled: no workflow task is pending before it.
    expect(await refusal(reset(handle, runId, finishId + 1))).toEqual(
      invalid(
        `Can only reset workflow to event ID in range [WorkflowTaskScheduled +1, WorkflowTaskStarted + 1]: ${finishId + 1}`,
      ),
    );
    expect(await refusal(reset(handle, runId, finishId, { requestId: '' }))).toEqual(
      invalid('RequestId is not set on request.'),
    );
    await handle.terminate('done');
  });
});

describe('devserver conformance: ResetStickyTaskQueue', () => {
  it('answers for a running workflow and NOT_FOUND for an unknown or closed one', async () => {
    const service = h.temporal.connection.workflowService;
    const handle = await countedTo5();
    const call = (workflowId: string) =>
      service.resetStickyTaskQueue({ namespace: h.temporal.namespace, execution: { workflowId } });
    await expect(call(handle.workflowId)).resolves.toBeDefined();
    expect((await refusal(call(h.id('missing')))).code).toBe(GrpcStatus.NOT_FOUND);
    await handle.signal(finishSignal);
    await handle.result();
    expect(await refusal(call(handle.workflowId))).toEqual({
      code: GrpcStatus.NOT_FOUND,
      details: 'workflow execution already completed',
    });
  });
});
