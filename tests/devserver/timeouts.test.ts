// Conformance: activity timeouts (each kind) and workflow run/execution timeouts, with short durations.
import { WorkflowFailedError } from '@temporalio/client';
import { TimeoutFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function runTimeout(kind: string): Promise<{ result: string; workflowId: string }> {
  const workflowId = h.id(`timeout-${kind}`);
  const result = await h.temporal.client.workflow.execute('activityTimeoutWorkflow', {
    taskQueue: h.taskQueue,
    workflowId,
    args: [kind, workflowId],
  });
  return { result, workflowId };
}

describe('devserver conformance: timeouts', () => {
  it('times out an activity attempt after start-to-close and retries it', async () => {
    const { result, workflowId } = await runTimeout('startToClose');
    expect(result).toBe('TimeoutFailure:START_TO_CLOSE');
    expect(h.probe.attempts.get(workflowId)).toBe(2);
    await h.replay(workflowId);
  });

  it('times out an activity that stops heartbeating', async () => {
    const { result, workflowId } = await runTimeout('heartbeat');
    expect(result).toBe('TimeoutFailure:HEARTBEAT');
    await h.replay(workflowId);
  });

  it('times out an activity after schedule-to-close', async () => {
    const { result, workflowId } = await runTimeout('scheduleToClose');
    expect(result).toBe('TimeoutFailure:SCHEDULE_TO_CLOSE');
    await h.replay(workflowId);
  });

  it('times out an activity nobody picks up after schedule-to-start', async () => {
    const { result, workflowId } = await runTimeout('scheduleToStart');
    expect(result).toBe('TimeoutFailure:SCHEDULE_TO_START');
    await h.replay(workflowId);
  });

  it.each([
    ['run', { workflowRunTimeout: '1s' }],
    ['execution', { workflowExecutionTimeout: '1s' }],
  ])('times out a workflow after its %s timeout', async (_kind, timeouts) => {
    const workflowId = h.id('wf-timeout');
    const err = await h.temporal.client.workflow
      .execute('sleepyWorkflow', { taskQueue: h.taskQueue, workflowId, args: [30_000], ...timeouts })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(TimeoutFailure);
    const description = await h.temporal.client.workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('TIMED_OUT');
    await h.replay(workflowId);
  });
});
