// Conformance: the basics every Kiln workflow depends on, against the devserver or TEMPORAL_ADDRESS.
import { ActivityFailure, ApplicationFailure, CancelledFailure, TerminatedFailure } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkLogProblems } from '../support/temporal';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function failureOf(promise: Promise<unknown>): Promise<WorkflowFailedError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return err as WorkflowFailedError;
}

describe('devserver conformance: core', () => {
  it('returns an activity result and the history replays', async () => {
    const workflowId = h.id('greet');
    const result = await h.temporal.client.workflow.execute('greetWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: ['Kiln'],
    });
    expect(result).toBe('Hello, Kiln!');
    await h.replay(workflowId);
  });

  it('retries a failing activity with backoff until it succeeds', async () => {
    const workflowId = h.id('retry');
    const attempt = await h.temporal.client.workflow.execute('retryWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [workflowId],
    });
    expect(attempt).toBe(3);
    expect(h.probe.attempts.get(workflowId)).toBe(3);
    const history = await h.temporal.client.workflow.getHandle(workflowId).fetchHistory();
    const types = history.events!.map((e) => e.eventType);
    expect(types.filter((t) => t === 11 /* ActivityTaskStarted */)).toHaveLength(1);
    await h.replay(workflowId);
  });

  it('hands the last heartbeat details to the next attempt of a failed activity', async () => {
    const workflowId = h.id('heartbeat-resume');
    const result = await h.temporal.client.workflow.execute('heartbeatResumeWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [workflowId],
    });
    expect(result).toBe('resumed after cloned');
    await h.replay(workflowId);
  });

  it('surfaces a non-retryable activity failure as WorkflowFailedError with an ApplicationFailure cause', async () => {
    const workflowId = h.id('reject');
    const err = await failureOf(
      h.temporal.client.workflow.execute('rejectWorkflow', { taskQueue: h.taskQueue, workflowId, args: [workflowId] }),
    );
    expect(err.cause).toBeInstanceOf(ActivityFailure);
    const app = err.cause?.cause;
    expect(app).toBeInstanceOf(ApplicationFailure);
    expect((app as ApplicationFailure).type).toBe('BadInput');
    expect((app as ApplicationFailure).nonRetryable).toBe(true);
    expect(h.probe.attempts.get(workflowId)).toBe(1);
    await h.replay(workflowId);
  });

  it('fails a workflow that throws an ApplicationFailure', async () => {
    const workflowId = h.id('fail');
    const err = await failureOf(
      h.temporal.client.workflow.execute('failingWorkflow', { taskQueue: h.taskQueue, workflowId }),
    );
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    expect((err.cause as ApplicationFailure).type).toBe('InvalidBuild');
    await h.replay(workflowId);
  });

  it('fires timers and cancels a timer', async () => {
    const workflowId = h.id('timer');
    const result = await h.temporal.client.workflow.execute('timerWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [300],
    });
    expect(Number(result.replace('slept ', ''))).toBeGreaterThanOrEqual(300);
    const history = await h.temporal.client.workflow.getHandle(workflowId).fetchHistory();
    const types = history.events!.map((e) => e.eventType);
    expect(types).toContain(18); // TimerFired
    expect(types).toContain(19); // TimerCanceled
    await h.replay(workflowId);
  });

  it('delivers signals and answers queries, also after the workflow closed', async () => {
    const workflowId = h.id('approval');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue: h.taskQueue, workflowId });
    expect(await handle.query<string>('status')).toBe('waiting');
    await handle.signal('approve', 'alice');
    expect(await handle.result()).toBe('approved by alice');
    expect(await handle.query<string>('status')).toBe('approved');
    await expect(handle.query('no-such-query')).rejects.toThrow();
    await h.replay(workflowId);
  });

  it('cancels a workflow: its heartbeating activity sees the cancellation', async () => {
    const workflowId = h.id('cancel');
    const handle = await h.temporal.client.workflow.start('cancellableWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [workflowId],
    });
    await waitFor(() => h.probe.attempts.has(workflowId));
    await handle.cancel();
    const err = await failureOf(handle.result());
    expect(err.cause).toBeInstanceOf(CancelledFailure);
    expect(h.probe.cancelled.has(workflowId)).toBe(true);
    await h.replay(workflowId);
  });

  it('signal-with-start starts a workflow with the signal, then signals the running one', async () => {
    const workflowId = h.id('sws');
    const handle = await h.temporal.client.workflow.signalWithStart('approvalWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      signal: 'approve',
      signalArgs: ['bob'],
    });
    expect(await handle.result()).toBe('approved by bob');
    const history = await handle.fetchHistory();
    expect(history.events!.slice(0, 3).map((e) => e.eventType)).toEqual([1, 26, 5]); // Started, Signaled, WFT scheduled
    await h.replay(workflowId);
  });

  it('refuses a second start of a running workflow id with WorkflowExecutionAlreadyStartedError', async () => {
    const workflowId = h.id('conflict');
    const first = await h.temporal.client.workflow.start('sleepyWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [60_000],
    });
    await expect(
      h.temporal.client.workflow.start('sleepyWorkflow', { taskQueue: h.taskQueue, workflowId, args: [60_000] }),
    ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    const reused = await h.temporal.client.workflow.start('sleepyWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [60_000],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    expect(reused.firstExecutionRunId).toBe(first.firstExecutionRunId);
    await first.terminate('test over');
  });

  it('terminates a workflow: result rejects with TerminatedFailure and describe says TERMINATED', async () => {
    const workflowId = h.id('terminate');
    const handle = await h.temporal.client.workflow.start('sleepyWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [60_000],
    });
    await waitFor(async () => (await handle.describe()).historyLength >= 4);
    await handle.terminate('operator stopped it');
    const err = await failureOf(handle.result());
    expect(err.cause).toBeInstanceOf(TerminatedFailure);
    const description = await handle.describe();
    expect(description.status.name).toBe('TERMINATED');
    await h.replay(workflowId);
  });

  it('lists and counts workflows by type, id, status and custom keyword attributes', async () => {
    const serviceId = h.id('svc');
    const ids = [h.id('list-a'), h.id('list-b')];
    for (const workflowId of ids) {
      await h.temporal.client.workflow.execute('greetWorkflow', {
        taskQueue: h.taskQueue,
        workflowId,
        args: ['list'],
        searchAttributes: { KilnServiceId: [serviceId] },
      });
    }
    const buildId = h.id('build');
    const patchedId = h.id('patched');
    expect(
      await h.temporal.client.workflow.execute('patchedWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: patchedId,
        args: [buildId],
      }),
    ).toBe(`v2: Hello, ${buildId}!`);
    await h.replay(patchedId);
    if (!h.temporal.devServer) return; // custom attributes must be registered on a real cluster first
    const listed: string[] = [];
    for await (const info of h.temporal.client.workflow.list({
      query: `WorkflowType = 'greetWorkflow' AND KilnServiceId = '${serviceId}' AND ExecutionStatus = 'Completed'`,
    })) {
      listed.push(info.workflowId);
    }
    expect(listed.sort()).toEqual([...ids].sort());
    const byId = await h.temporal.client.workflow.count(
      `WorkflowId IN ('${ids[0]}', '${patchedId}') OR KilnBuildId = '${buildId}'`,
    );
    expect(byId.count).toBe(2);
    const running = await h.temporal.client.workflow.count(
      `KilnServiceId = '${serviceId}' AND ExecutionStatus != 'Completed'`,
    );
    expect(running.count).toBe(0);
  });

  it('completes an activity asynchronously by workflow id and activity id', async () => {
    const workflowId = h.id('async');
    const handle = await h.temporal.client.workflow.start('asyncCompletionWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [workflowId],
    });
    await waitFor(() => h.probe.attempts.has(workflowId));
    await h.temporal.client.activity.complete({ workflowId, activityId: '1' }, 'completed elsewhere');
    expect(await handle.result()).toBe('completed elsewhere');
    await h.replay(workflowId);
  });

  it('honours a start delay before the first workflow task', async () => {
    const workflowId = h.id('delayed');
    const started = Date.now();
    const result = await h.temporal.client.workflow.execute('greetWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: ['later'],
      startDelay: '700ms',
    });
    expect(result).toBe('Hello, later!');
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    await h.replay(workflowId);
  });

  it('logged no SDK warnings or errors (no rejected histories)', () => {
    expect(sdkLogProblems().filter((e) => /nondetermin|unexpected|history/i.test(e.message))).toEqual([]);
  });
});
