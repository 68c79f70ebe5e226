// Conformance at the protocol level: workflow task timeout and retry, UnhandledCommand, history paging, start
// idempotency and id reuse policies. Raw WorkflowService calls stand in for a misbehaving worker.
import { randomUUID } from 'node:crypto';
import Long from 'long';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const service = () => h.temporal.connection.workflowService;

async function pollOnce(taskQueue: string) {
  const task = await service().pollWorkflowTaskQueue({
    namespace: h.temporal.namespace,
    taskQueue: { name: taskQueue, kind: 1 },
    identity: 'raw-test-poller',
  });
  expect(task.taskToken?.length).toBeGreaterThan(0);
  return task;
}

async function eventTypes(workflowId: string): Promise<number[]> {
  const history = await h.temporal.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events!.map((e) => Number(e.eventType));
}

describe('devserver conformance: protocol', () => {
  it('describes and lists namespaces, reports system and cluster info', async () => {
    const described = await service().describeNamespace({ namespace: h.temporal.namespace });
    expect(described.namespaceInfo?.name).toBe(h.temporal.namespace);
    const listed = await service().listNamespaces({});
    expect(listed.namespaces?.map((n) => n.namespaceInfo?.name)).toContain(h.temporal.namespace);
    expect((await service().getSystemInfo({})).capabilities?.sdkMetadata).toBe(true);
    expect((await service().getClusterInfo({})).serverVersion).toBeTruthy();
    await expect(service().describeNamespace({ namespace: `missing-${randomUUID()}` })).rejects.toMatchObject({
      code: 5,
    }); // NOT_FOUND
    if (!h.temporal.devServer) return; // registering namespaces on a shared cluster is not a test's business
    const name = `kiln-${randomUUID()}`;
    await service().registerNamespace({
      namespace: name,
      workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) },
    });
    expect((await service().describeNamespace({ namespace: name })).namespaceInfo?.state).toBe(1); // REGISTERED
    await expect(service().registerNamespace({ namespace: name })).rejects.toMatchObject({ code: 6 }); // ALREADY_EXISTS
  });

  it('times out a workflow task nobody completes and retries it on a healthy worker', async () => {
    const taskQueue = `wft-timeout-${randomUUID()}`;
    const workflowId = h.id('wft-timeout');
    const handle = await h.temporal.client.workflow.start('greetWorkflow', {
      taskQueue,
      workflowId,
      args: ['retry'],
      workflowTaskTimeout: '1s',
    });
    await pollOnce(taskQueue); // taken and never answered
    await h.startWorker(taskQueue);
    expect(await handle.result()).toBe('Hello, retry!');
    expect(await eventTypes(workflowId)).toContain(8); // WorkflowTaskTimedOut
    await h.replay(workflowId);
  });

  it('writes a failed workflow task once; later attempts are transient until one completes', async () => {
    const taskQueue = `transient-${randomUUID()}`;
    const workflowId = h.id('transient');
    const handle = await h.temporal.client.workflow.start('greetWorkflow', { taskQueue, workflowId, args: ['again'] });
    for (const expectedAttempt of [1, 2]) {
      const task = await pollOnce(taskQueue);
      expect(task.attempt).toBe(expectedAttempt);
      const types = (task.history?.events ?? []).map((e) => Number(e.eventType));
      expect(types.slice(-2)).toEqual([5, 6]); // every task ends with its Scheduled and Started events
      await service().respondWorkflowTaskFailed({
        namespace: h.temporal.namespace,
        taskToken: task.taskToken,
        cause: 14, // WORKFLOW_WORKER_UNHANDLED_FAILURE
        failure: { message: `attempt ${expectedAttempt} broke` },
        identity: 'raw-test-poller',
      });
    }
    expect(await eventTypes(workflowId)).toEqual([1, 5, 6, 9]); // attempt 2 left no events
    await h.startWorker(taskQueue);
    expect(await handle.result()).toBe('Hello, again!');
    const types = await eventTypes(workflowId);
    expect(types.slice(0, 7)).toEqual([1, 5, 6, 9, 5, 6, 7]);
    const history = await handle.fetchHistory();
    expect(history.events![4]!.workflowTaskScheduledEventAttributes?.attempt).toBe(3);
    await h.replay(workflowId);
  });

  it('fails the workflow task on an invalid command and writes none of its commands', async () => {
    const taskQueue = `bad-command-${randomUUID()}`;
    const workflowId = h.id('bad-command');
    const handle = await h.temporal.client.workflow.start('greetWorkflow', { taskQueue, workflowId, args: ['x'] });
    const task = await pollOnce(taskQueue);
    const completion = service().respondWorkflowTaskCompleted({
      namespace: h.temporal.namespace,
      taskToken: task.taskToken,
      identity: 'raw-test-poller',
      commands: [
        {
          commandType: 3,
          startTimerCommandAttributes: { timerId: 't1', startToFireTimeout: { seconds: Long.fromNumber(60) } },
        },
        {
          commandType: 1,
          scheduleActivityTaskCommandAttributes: {
            activityId: '1',
            activityType: { name: 'greet' },
            taskQueue: { name: taskQueue },
          },
        },
      ],
    });
    await expect(completion).rejects.toMatchObject({ code: 3 }); // INVALID_ARGUMENT: no activity timeout
    const history = await handle.fetchHistory();
    expect(history.events!.map((e) => Number(e.eventType))).toEqual([1, 5, 6, 9]);
    expect(history.events![3]!.workflowTaskFailedEventAttributes?.cause).toBe(2); // BAD_SCHEDULE_ACTIVITY_ATTRIBUTES
    await handle.terminate('test over');
  });

  it('buffers a cancel request that arrives during a workflow task and delivers it in the next one', async () => {
    const taskQueue = `buffered-cancel-${randomUUID()}`;
    const workflowId = h.id('buffered-cancel');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue, workflowId });
    const task = await pollOnce(taskQueue);
    await handle.cancel();
    expect(await eventTypes(workflowId)).toEqual([1, 5, 6]); // nothing written while the task runs
    await service().respondWorkflowTaskCompleted({
      namespace: h.temporal.namespace,
      taskToken: task.taskToken,
      identity: 'raw-test-poller',
      commands: [],
    });
    expect(await eventTypes(workflowId)).toEqual([1, 5, 6, 7, 20, 5]); // Completed, CancelRequested, next task
    await h.startWorker(taskQueue);
    await expect(handle.result()).rejects.toThrow(/cancel/i);
    await h.replay(workflowId);
  });

  it('refuses to close a workflow while a signal is pending (UnhandledCommand) and redelivers it', async () => {
    const taskQueue = `unhandled-${randomUUID()}`;
    const workflowId = h.id('unhandled');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue, workflowId });
    const task = await pollOnce(taskQueue);
    await handle.signal('approve', 'carol');
    const completion = service().respondWorkflowTaskCompleted({
      namespace: h.temporal.namespace,
      taskToken: task.taskToken,
      identity: 'raw-test-poller',
      commands: [{ commandType: 4, completeWorkflowExecutionCommandAttributes: { result: { payloads: [] } } }],
    });
    await expect(completion).rejects.toThrow(/UnhandledCommand/);
    await h.startWorker(taskQueue);
    expect(await handle.result()).toBe('approved by carol');
    const types = await eventTypes(workflowId);
    expect(types.slice(0, 6)).toEqual([1, 5, 6, 9, 26, 5]); // Started, WFT scheduled/started/failed, Signaled, WFT scheduled
    await h.replay(workflowId);
  });

  it('pages history with maximumPageSize and nextPageToken', async () => {
    const workflowId = h.id('paging');
    await h.temporal.client.workflow.execute('parentWorkflow', { taskQueue: h.taskQueue, workflowId, args: [2] });
    const all = await eventTypes(workflowId);
    const paged: number[] = [];
    let nextPageToken: Uint8Array | undefined;
    let pages = 0;
    do {
      const page = await service().getWorkflowExecutionHistory({
        namespace: h.temporal.namespace,
        execution: { workflowId },
        maximumPageSize: 3,
        nextPageToken,
      });
      paged.push(...(page.history?.events ?? []).map((e) => Number(e.eventType)));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
      pages++;
    } while (nextPageToken);
    expect(paged).toEqual(all);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(all.length / 3));
  });

  it('deduplicates a start retried with the same request id', async () => {
    const workflowId = h.id('request-id');
    const request = {
      namespace: h.temporal.namespace,
      workflowId,
      workflowType: { name: 'approvalWorkflow' },
      taskQueue: { name: h.taskQueue },
      requestId: randomUUID(),
      identity: 'raw-test-client',
    };
    const first = await service().startWorkflowExecution(request);
    const again = await service().startWorkflowExecution(request);
    expect(again.runId).toBe(first.runId);
    await expect(service().startWorkflowExecution({ ...request, requestId: randomUUID() })).rejects.toMatchObject({
      code: 6,
    }); // ALREADY_EXISTS
    await h.temporal.client.workflow.getHandle(workflowId).terminate('test over');
  });

  it('applies the REJECT_DUPLICATE and ALLOW_DUPLICATE reuse policies to closed workflow ids', async () => {
    const workflowId = h.id('reuse');
    await h.temporal.client.workflow.execute('greetWorkflow', { taskQueue: h.taskQueue, workflowId, args: ['once'] });
    await expect(
      h.temporal.client.workflow.start('greetWorkflow', {
        taskQueue: h.taskQueue,
        workflowId,
        args: ['twice'],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    expect(
      await h.temporal.client.workflow.execute('greetWorkflow', {
        taskQueue: h.taskQueue,
        workflowId,
        args: ['again'],
      }),
    ).toBe('Hello, again!');
  });
});
