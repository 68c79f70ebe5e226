// Conformance: what DescribeWorkflowExecution reports beyond the basics — unset timeouts left unset (as the SDK's
// own tests expect of a real server), the history size, and the auto reset points of the workers that ran it.
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const { HistoryEvent } = temporal.api.history.v1;

describe('devserver conformance: describe', () => {
  it('leaves execution and run timeouts unset when the start set none, and keeps the task timeout default', async () => {
    const handle = await h.temporal.client.workflow.start('greetWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: h.id('no-timeouts'),
      args: ['Ada'],
    });
    await handle.result();
    const config = (await handle.describe()).raw.executionConfig;
    expect(config?.workflowExecutionTimeout).toBeNull();
    expect(config?.workflowRunTimeout).toBeNull();
    expect(Number(config?.defaultWorkflowTaskTimeout?.seconds)).toBe(10);
    const started = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(started?.workflowExecutionTimeout).toBeNull();
    expect(started?.workflowRunTimeout).toBeNull();
    expect(Number(started?.workflowTaskTimeout?.seconds)).toBe(10);
  });

  it('keeps a run timeout the start set, and bounds the run timeout by the execution timeout', async () => {
    const handle = await h.temporal.client.workflow.start('greetWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: h.id('timeouts'),
      args: ['Ada'],
      workflowExecutionTimeout: '1 minute',
    });
    await handle.result();
    const config = (await handle.describe()).raw.executionConfig;
    expect(Number(config?.workflowExecutionTimeout?.seconds)).toBe(60);
    expect(Number(config?.workflowRunTimeout?.seconds)).toBe(60);
  });

  it('reports the encoded size of the history, as the workflow task measures it', async () => {
    const handle = await h.temporal.client.workflow.start('greetWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: h.id('size'),
      args: ['Ada'],
    });
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    const encoded = events.reduce((sum, e) => sum + HistoryEvent.encode(e).finish().length, 0);
    const { historySize } = await handle.describe();
    // A real server also counts each event's framing inside its stored batch: a few bytes per event.
    expect(historySize).toBeGreaterThanOrEqual(encoded);
    expect(historySize).toBeLessThanOrEqual(encoded + 4 * events.length);
  });

  it('records one auto reset point for the build that completed the first workflow task', async () => {
    const handle = await h.temporal.client.workflow.start('greetWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: h.id('reset-points'),
      args: ['Ada'],
    });
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    const completed = events.filter((e) => e.workflowTaskCompletedEventAttributes);
    expect(completed.length).toBeGreaterThan(1);
    const first = completed[0]!;
    const points = (await handle.describe()).raw.workflowExecutionInfo?.autoResetPoints?.points ?? [];
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({
      runId: handle.firstExecutionRunId,
      buildId: first.workflowTaskCompletedEventAttributes?.workerVersion?.buildId ?? '',
      resettable: true,
    });
    expect(Number(points[0]?.firstWorkflowTaskCompletedId)).toBe(Number(first.eventId));
    expect(Number(points[0]?.createTime?.seconds)).toBe(Number(first.eventTime?.seconds));
  });

  it('carries the reset points into the runs continue-as-new starts, expiring with the retention', async () => {
    const handle = await h.temporal.client.workflow.start('continueAsNewWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: h.id('reset-points-chain'),
      args: [2],
    });
    await handle.result();
    const last = await handle.describe();
    const points = last.raw.workflowExecutionInfo?.autoResetPoints?.points ?? [];
    // The same worker ran all three runs: the point stays the first run's, and no run adds its own.
    expect(points.map((p) => p.runId)).toEqual([handle.firstExecutionRunId]);
    const started = (await handle.fetchHistory()).events?.[0];
    const retentionMs = 7 * 86_400_000; // the default namespace's
    expect(Number(points[0]?.expireTime?.seconds)).toBe(
      Math.floor((Number(started?.eventTime?.seconds) * 1000 + retentionMs) / 1000),
    );
    expect(started?.workflowExecutionStartedEventAttributes?.prevAutoResetPoints?.points).toHaveLength(1);
  });
});
