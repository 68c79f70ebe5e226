// Conformance: a reset with pending children, as the real server allows by default
// (history.allowResetWithPendingChildren): the reset run keeps the children pending at the reset point, the old
// run's end does not close them, and their outcomes reach the reset run, whether they came before or after it.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import Long from 'long';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOperatorHarness, type OperatorHarness } from './operator-harness';
import { finishSignal } from './operator-workflows';

const { EventType } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

let h: OperatorHarness;
beforeAll(async () => {
  h = await startOperatorHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Starts the parent and waits until its child runs and the task after the child's start completed. */
async function parentWithChild(): Promise<{
  parent: WorkflowHandleWithFirstExecutionRunId;
  child: WorkflowHandle;
  finishId: number;
}> {
  const childId = h.id('reset-child');
  const parent = await h.temporal.client.workflow.start('resetParentWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: h.id('reset-parent'),
    args: [childId],
  });
  const completedIds = async () =>
    ((await parent.fetchHistory()).events ?? [])
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
      .map((e) => Number(e.eventId));
  await h.waitFor(async () => (await completedIds()).length >= 2);
  // The second task is the one the child's start woke: at that point the child is pending.
  return { parent, child: h.temporal.client.workflow.getHandle(childId), finishId: (await completedIds())[1]! };
}

async function resetTo(
  parent: WorkflowHandleWithFirstExecutionRunId,
  finishId: number,
): Promise<{ fresh: WorkflowHandle; runId: string }> {
  const { runId } = await h.temporal.connection.workflowService.resetWorkflowExecution({
    namespace: h.temporal.namespace,
    workflowExecution: { workflowId: parent.workflowId, runId: parent.firstExecutionRunId },
    workflowTaskFinishEventId: Long.fromNumber(finishId),
    reason: 'retry the parent',
    requestId: randomUUID(),
  });
  return { fresh: h.temporal.client.workflow.getHandle(parent.workflowId, runId ?? ''), runId: runId ?? '' };
}

function childEvents(events: HistoryEvent[]) {
  const started = events.find((e) => e.childWorkflowExecutionStartedEventAttributes);
  const completed = events.find((e) => e.childWorkflowExecutionCompletedEventAttributes);
  return { started, completed: completed?.childWorkflowExecutionCompletedEventAttributes };
}

describe('devserver conformance: reset with pending children', () => {
  it('keeps a running child with the reset run and delivers its result there', async () => {
    const { parent, child, finishId } = await parentWithChild();
    const { fresh, runId } = await resetTo(parent, finishId);
    const old = h.temporal.client.workflow.getHandle(parent.workflowId, parent.firstExecutionRunId);
    expect((await old.describe()).status.name).toBe('TERMINATED');
    // The old run's end applies no parent-close policy: the child runs on, now the reset run's child.
    expect((await child.describe()).status.name).toBe('RUNNING');
    const described = await fresh.describe();
    expect(described.raw.pendingChildren?.map((c) => c.workflowId)).toEqual([child.workflowId]);
    expect(described.raw.workflowExtendedInfo?.resetRunId ?? '').toBe('');
    expect((await old.describe()).raw.workflowExtendedInfo?.resetRunId).toBe(runId);

    await child.signal(finishSignal);
    await h.waitFor(async () => !!childEvents((await fresh.fetchHistory()).events ?? []).completed);
    await fresh.signal(finishSignal);
    expect(await fresh.result()).toBe(`child ${child.workflowId} done`);
    const { started, completed } = childEvents((await fresh.fetchHistory()).events ?? []);
    expect(Number(started?.eventId)).toBeLessThan(finishId);
    expect(Number(completed?.startedEventId)).toBe(Number(started?.eventId));
    await h.replay(parent.workflowId, runId);
  });

  it('writes again a child outcome the old run received after the reset point', async () => {
    const { parent, child, finishId } = await parentWithChild();
    await child.signal(finishSignal);
    await child.result();
    await h.waitFor(async () => !!childEvents((await parent.fetchHistory()).events ?? []).completed);
    const { fresh, runId } = await resetTo(parent, finishId);
    const events = (await fresh.fetchHistory()).events ?? [];
    const { started, completed } = childEvents(events);
    expect(completed?.result).toBeTruthy();
    expect(Number(completed?.startedEventId)).toBe(Number(started?.eventId));
    expect((await fresh.describe()).raw.pendingChildren ?? []).toEqual([]);
    await fresh.signal(finishSignal);
    expect(await fresh.result()).toBe(`child ${child.workflowId} done`);
    await h.replay(parent.workflowId, runId);
  });
});
