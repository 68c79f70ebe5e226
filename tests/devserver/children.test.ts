// Conformance: child workflows, parent-close policy, external signals and continue-as-new.
import { WorkflowFailedError } from '@temporalio/client';
import { TerminatedFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('devserver conformance: children and continue-as-new', () => {
  it('runs parallel child workflows and collects their results', async () => {
    const workflowId = h.id('parent');
    const results = await h.temporal.client.workflow.execute('parentWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [3],
    });
    expect(results).toEqual(['Hello, child 0!', 'Hello, child 1!', 'Hello, child 2!']);
    await h.replay(workflowId);
    await h.replay(`${workflowId}-child-1`);
  });

  it('reports a failed child to its parent', async () => {
    const workflowId = h.id('failing-child');
    const result = await h.temporal.client.workflow.execute('failingChildParentWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [workflowId],
    });
    expect(result).toBe('child failed: Child Workflow execution failed');
    await h.replay(workflowId);
  });

  it('terminates a running child when its parent is terminated (parent-close policy)', async () => {
    const workflowId = h.id('sleepy-parent');
    const childId = `${workflowId}-child`;
    const parent = await h.temporal.client.workflow.start('sleepyParentWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [childId],
    });
    const child = h.temporal.client.workflow.getHandle(childId);
    for (let i = 0; i < 100; i++) {
      const started = await child.describe().then(
        (d) => d.historyLength >= 4,
        () => false,
      );
      if (started) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await parent.terminate('parent stopped');
    const err = await child.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(TerminatedFailure);
    await h.replay(childId);
  });

  it('cancels a child workflow from its parent', async () => {
    const workflowId = h.id('cancel-child');
    expect(
      await h.temporal.client.workflow.execute('cancelChildWorkflow', { taskQueue: h.taskQueue, workflowId }),
    ).toBe('child cancelled');
    const child = await h.temporal.client.workflow.getHandle(`${workflowId}-child`).describe();
    expect(child.status.name).toBe('CANCELLED');
    await h.replay(workflowId);
    await h.replay(`${workflowId}-child`);
  });

  it('signals another workflow from a workflow', async () => {
    const targetId = h.id('target');
    const target = await h.temporal.client.workflow.start('approvalWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: targetId,
    });
    const sourceId = h.id('source');
    expect(
      await h.temporal.client.workflow.execute('externalWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: sourceId,
        args: [targetId],
      }),
    ).toBe('signalled');
    expect(await target.result()).toBe('approved by external');
    await h.replay(sourceId);
    await h.replay(targetId);
  });

  it('continues as new and the client follows the chain to the result', async () => {
    const workflowId = h.id('can');
    const handle = await h.temporal.client.workflow.start('continueAsNewWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [2],
    });
    expect(await handle.result()).toBe(1);
    const first = h.temporal.client.workflow.getHandle(workflowId, handle.firstExecutionRunId);
    expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW');
    await h.replay(workflowId, handle.firstExecutionRunId);
    await h.replay(workflowId);
  });

  it('retries a failing workflow per its retry policy, and stops at maximum attempts', async () => {
    const workflowId = h.id('wf-retry');
    const retry = { initialInterval: '100ms', maximumAttempts: 4 };
    const handle = await h.temporal.client.workflow.start('retriedWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [2],
      retry,
    });
    expect(await handle.result()).toBe(3);
    const first = await h.temporal.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).fetchHistory();
    const closed = first.events!.at(-1)!.workflowExecutionFailedEventAttributes;
    expect(closed?.newExecutionRunId).toBeTruthy();
    expect(closed?.retryState).toBe(1); // IN_PROGRESS
    await h.replay(workflowId);
    await h.replay(workflowId, handle.firstExecutionRunId);

    const exhaustedId = h.id('wf-retry-exhausted');
    const err = await h.temporal.client.workflow
      .execute('retriedWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: exhaustedId,
        args: [10],
        retry: { initialInterval: '50ms', maximumAttempts: 2 },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).retryState).toBe('MAXIMUM_ATTEMPTS_REACHED');
  });

  it('keeps counting signals across continue-as-new runs', async () => {
    const workflowId = h.id('pings');
    const handle = await h.temporal.client.workflow.start('pingCounterWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [4, 2],
    });
    for (let i = 0; i < 4; i++) {
      await h.temporal.client.workflow.getHandle(workflowId).signal('ping');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await handle.result()).toBe(4);
    await h.replay(workflowId);
  });
});
