// Sticky workflow task queues, as the real server keeps them: after a completion names the worker's sticky queue,
// the run's next task goes there with only the new events; a vanished or shut-down sticky worker, a failed task
// and ResetStickyTaskQueue send it back to the normal queue with full history. Raw WorkflowService calls stand in
// for a worker where the test must see exactly what the server hands out.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Long from 'long';
import { Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer } from '../../devserver/server';
import { startHarness, type Harness } from './harness';
import { approveSignal, statusQuery } from './workflows';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { TaskQueueKind, TimeoutType } = temporal.api.enums.v1;
const NORMAL = TaskQueueKind.TASK_QUEUE_KIND_NORMAL;
const STICKY = TaskQueueKind.TASK_QUEUE_KIND_STICKY;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** A raw worker on its own task queue with its own sticky queue. */
function rawWorker(connection: Connection, namespace: string, taskQueue = `raw-${randomUUID()}`) {
  const service = connection.workflowService;
  const stickyName = `${taskQueue}-sticky-${randomUUID()}`;
  const poll = (sticky: boolean, signal?: AbortSignal) => {
    const request = {
      namespace,
      taskQueue: sticky ? { name: stickyName, kind: STICKY, normalName: taskQueue } : { name: taskQueue, kind: NORMAL },
      identity: 'raw-sticky-test',
    };
    if (!signal) return service.pollWorkflowTaskQueue(request);
    return connection.withAbortSignal(signal, () => service.pollWorkflowTaskQueue(request));
  };
  type Completion = Parameters<typeof service.respondWorkflowTaskCompleted>[0];
  const completeSticky = (taskToken: Uint8Array, scheduleToStartSeconds = 10, extra: Partial<Completion> = {}) =>
    service.respondWorkflowTaskCompleted({
      ...extra,
      namespace,
      taskToken,
      identity: 'raw-sticky-test',
      stickyAttributes: {
        workerTaskQueue: { name: stickyName, kind: STICKY, normalName: taskQueue },
        scheduleToStartTimeout: { seconds: Long.fromNumber(scheduleToStartSeconds) },
      },
    });
  return { taskQueue, stickyName, poll, completeSticky };
}

/** Polls the sticky queue once and lets the poll go unanswered, so the queue has been polled recently but waits empty. */
async function pollAndLeave(raw: ReturnType<typeof rawWorker>): Promise<void> {
  const abort = new AbortController();
  const polled = raw.poll(true, abort.signal).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 200));
  abort.abort();
  await polled;
}

async function historyOf(workflowId: string): Promise<HistoryEvent[]> {
  return (await h.temporal.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** The task queue of each WorkflowTaskScheduled, in order. */
function scheduledQueues(events: HistoryEvent[]) {
  return events
    .filter((e) => e.workflowTaskScheduledEventAttributes)
    .map((e) => {
      const q = e.workflowTaskScheduledEventAttributes!.taskQueue!;
      return { name: q.name, kind: q.kind, normalName: q.normalName || undefined };
    });
}

const normalQueue = (name: string) => ({ name, kind: NORMAL, normalName: undefined });
const ids = (events: HistoryEvent[] | null | undefined) => (events ?? []).map((e) => Number(e.eventId));

describe('devserver: sticky task queues', () => {
  it('sends the next task of a run to its sticky queue with only the events after the last completed task', async () => {
    const raw = rawWorker(h.temporal.connection, h.temporal.namespace);
    const workflowId = h.id('sticky-partial');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue: raw.taskQueue, workflowId });
    const first = await raw.poll(false);
    expect(ids(first.history?.events)).toEqual([1, 2, 3]);
    await raw.completeSticky(first.taskToken!);
    const next = raw.poll(true);
    await handle.signal(approveSignal, 'ann');
    const second = await next;
    expect(Number(second.previousStartedEventId)).toBe(3);
    expect(Number(second.startedEventId)).toBe(7);
    expect(second.attempt).toBe(1);
    // From the last completed task's WorkflowTaskCompleted on: not the events the worker already has.
    expect(ids(second.history?.events)).toEqual([4, 5, 6, 7]);
    expect(second.workflowExecutionTaskQueue).toMatchObject({ name: raw.taskQueue, kind: NORMAL });
    expect(scheduledQueues(await historyOf(workflowId))).toEqual([
      normalQueue(raw.taskQueue),
      { name: raw.stickyName, kind: STICKY, normalName: raw.taskQueue },
    ]);

    // A query goes to the sticky worker too, without history: it has the run in its cache.
    await raw.completeSticky(second.taskToken!);
    const queryTask = raw.poll(true);
    const answer = handle.query(statusQuery);
    const task = await queryTask;
    expect(task.query?.queryType).toBe('status');
    expect(task.history?.events ?? []).toEqual([]);
    await h.temporal.connection.workflowService.respondQueryTaskCompleted({
      namespace: h.temporal.namespace,
      taskToken: task.taskToken,
      completedType: temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED,
      queryResult: { payloads: [defaultPayloadConverter.toPayload('cached')] },
    });
    expect(await answer).toBe('cached');
    await h.temporal.client.workflow.getHandle(workflowId).terminate('done');
  });

  it('starts the next task in the completion answer when a sticky worker asks for it (return_new_workflow_task)', async () => {
    const raw = rawWorker(h.temporal.connection, h.temporal.namespace);
    const service = h.temporal.connection.workflowService;
    const workflowId = h.id('sticky-returned');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue: raw.taskQueue, workflowId });
    const first = await raw.poll(false);
    // Without a sticky queue the worker could not use a partial history: the forced task goes on the queue.
    const ask = { forceCreateNewWorkflowTask: true, returnNewWorkflowTask: true };
    const plain = await service.respondWorkflowTaskCompleted({
      ...ask,
      namespace: h.temporal.namespace,
      taskToken: first.taskToken,
      identity: 'raw-sticky-test',
    });
    expect(plain.workflowTask).toBeFalsy();
    const second = await raw.poll(false);
    expect(Number(second.startedEventId)).toBe(6);

    const answered = await raw.completeSticky(second.taskToken!, 10, ask);
    const returned = answered.workflowTask!;
    expect(Number(returned.previousStartedEventId)).toBe(6);
    expect(Number(returned.startedEventId)).toBe(9);
    expect(ids(returned.history?.events)).toEqual([7, 8, 9]);
    const started = (await historyOf(workflowId))[8]!;
    expect(started.workflowTaskStartedEventAttributes?.identity).toBe('raw-sticky-test');
    // The returned task is the run's started task: completing it closes the run.
    await service.respondWorkflowTaskCompleted({
      namespace: h.temporal.namespace,
      taskToken: returned.taskToken,
      identity: 'raw-sticky-test',
      commands: [
        {
          commandType: temporal.api.enums.v1.CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
          completeWorkflowExecutionCommandAttributes: {
            result: { payloads: [defaultPayloadConverter.toPayload('inline')] },
          },
        },
      ],
    });
    expect(await handle.result()).toBe('inline');
  });

  it('keeps a real worker on its sticky queue, and its query answers come from there', async () => {
    const workflowId = h.id('sticky-sdk');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue: h.taskQueue, workflowId });
    expect(await handle.query(statusQuery)).toBe('waiting');
    await handle.signal(approveSignal, 'bo');
    expect(await handle.result()).toBe('approved by bo');
    const queues = scheduledQueues(await historyOf(workflowId));
    expect(queues[0]).toEqual(normalQueue(h.taskQueue));
    expect(queues.slice(1).every((q) => q.kind === STICKY && q.normalName === h.taskQueue)).toBe(true);
    await h.replay(workflowId);
  });

  it('moves a run whose worker shut down to the normal queue at once; another worker finishes it', async () => {
    const taskQueue = `sticky-shutdown-${randomUUID()}`;
    const first = await h.startWorker(taskQueue);
    const workflowId = h.id('sticky-shutdown');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue, workflowId });
    expect(await handle.query(statusQuery)).toBe('waiting'); // the first task completed on the first worker
    first.worker.shutdown();
    await first.done;
    await h.startWorker(taskQueue);
    await handle.signal(approveSignal, 'cy');
    expect(await handle.result()).toBe('approved by cy');
    // Scheduled for the old sticky queue (as the real server records it), the task went to the normal queue at once:
    // no schedule-to-start timeout (10 s here), and the new worker's own sticky queue took over.
    const events = await historyOf(workflowId);
    expect(events.some((e) => e.workflowTaskTimedOutEventAttributes)).toBe(false);
    const [, afterShutdown, afterTimer] = scheduledQueues(events);
    expect(afterShutdown).toMatchObject({ kind: STICKY, normalName: taskQueue });
    expect(afterTimer).toMatchObject({ kind: STICKY, normalName: taskQueue });
    expect(afterTimer!.name).not.toBe(afterShutdown!.name);
    await h.replay(workflowId);
  });

  it('times out a task its vanished sticky worker never took, then a worker on the normal queue finishes the run', async () => {
    const raw = rawWorker(h.temporal.connection, h.temporal.namespace);
    const workflowId = h.id('sticky-vanished');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue: raw.taskQueue, workflowId });
    await raw.completeSticky((await raw.poll(false)).taskToken!, 1);
    await pollAndLeave(raw); // the sticky worker polled a moment ago, then went away without a word
    await handle.signal(approveSignal, 'di');
    await h.startWorker(raw.taskQueue);
    expect(await handle.result()).toBe('approved by di');
    const events = await historyOf(workflowId);
    const timedOut = events.find((e) => e.workflowTaskTimedOutEventAttributes);
    const attrs = timedOut?.workflowTaskTimedOutEventAttributes;
    expect(attrs?.timeoutType).toBe(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    expect(Number(attrs?.scheduledEventId)).toBe(Number(timedOut!.eventId) - 1);
    expect(Number(attrs?.startedEventId)).toBe(0);
    const after = events[events.indexOf(timedOut!) + 1]!;
    expect(after.workflowTaskScheduledEventAttributes).toMatchObject({ taskQueue: { kind: NORMAL }, attempt: 1 });
    expect(scheduledQueues(events)[1]).toEqual({ name: raw.stickyName, kind: STICKY, normalName: raw.taskQueue });
    await h.replay(workflowId);
  });

  it('answers a query from the normal queue when the sticky worker shut down or does not answer in time', async () => {
    const taskQueue = `sticky-query-${randomUUID()}`;
    const first = await h.startWorker(taskQueue);
    const workflowId = h.id('sticky-query');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue, workflowId });
    expect(await handle.query(statusQuery)).toBe('waiting');
    first.worker.shutdown();
    await first.done;
    await h.startWorker(taskQueue);
    expect(await handle.query(statusQuery)).toBe('waiting'); // the new worker replays the run to answer
    await handle.terminate('done');

    const raw = rawWorker(h.temporal.connection, h.temporal.namespace);
    const silent = await h.temporal.client.workflow.start('approvalWorkflow', {
      taskQueue: raw.taskQueue,
      workflowId: h.id('sticky-query-silent'),
    });
    await raw.completeSticky((await raw.poll(false)).taskToken!, 1);
    await pollAndLeave(raw); // polled a moment ago, so the query goes to the sticky queue, where nobody takes it
    await h.startWorker(raw.taskQueue);
    const asked = Date.now();
    expect(await silent.query(statusQuery)).toBe('waiting');
    expect(Date.now() - asked).toBeGreaterThanOrEqual(900); // after the sticky schedule-to-start timeout of 1 s
    await silent.terminate('done');
  });

  it('sends a task that failed on the sticky queue back to the normal queue as attempt 1 with full history', async () => {
    const raw = rawWorker(h.temporal.connection, h.temporal.namespace);
    const workflowId = h.id('sticky-failed');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue: raw.taskQueue, workflowId });
    await raw.completeSticky((await raw.poll(false)).taskToken!);
    const next = raw.poll(true);
    await handle.signal(approveSignal, 'ed');
    await h.temporal.connection.workflowService.respondWorkflowTaskFailed({
      namespace: h.temporal.namespace,
      taskToken: (await next).taskToken,
      cause: temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE,
      identity: 'raw-sticky-test',
    });
    const retried = await raw.poll(false);
    expect(retried.attempt).toBe(1);
    expect(ids(retried.history?.events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // …Failed(8), Scheduled, Started
    expect(retried.history!.events![8]!.workflowTaskScheduledEventAttributes).toMatchObject({
      taskQueue: { kind: NORMAL },
      attempt: 1,
    });
    await handle.terminate('done');
  });

  it('ResetStickyTaskQueue sends the next task to the normal queue', async () => {
    const workflowId = h.id('sticky-reset');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue: h.taskQueue, workflowId });
    expect(await handle.query(statusQuery)).toBe('waiting');
    await h.temporal.connection.workflowService.resetStickyTaskQueue({
      namespace: h.temporal.namespace,
      execution: { workflowId, runId: handle.firstExecutionRunId },
    });
    await handle.signal(approveSignal, 'fa');
    expect(await handle.result()).toBe('approved by fa');
    expect(scheduledQueues(await historyOf(workflowId))[1]).toEqual(normalQueue(h.taskQueue));
    await h.replay(workflowId);
  });
});

describe('devserver: sticky task queues across a restart', () => {
  it('drops stickiness on restart: a task that waited on the sticky queue goes to the normal queue with full history', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-sticky-'));
    const dbFilename = path.join(dir, 'state.db');
    let server = await startDevServer({ port: 0, dbFilename });
    try {
      let connection = await Connection.connect({ address: server.address });
      const raw = rawWorker(connection, 'default');
      const started = await connection.workflowService.startWorkflowExecution({
        namespace: 'default',
        workflowId: `sticky-restart-${randomUUID()}`,
        workflowType: { name: 'approvalWorkflow' },
        taskQueue: { name: raw.taskQueue },
        requestId: randomUUID(),
      });
      const first = await raw.poll(false);
      await raw.completeSticky(first.taskToken!, 60);
      await pollAndLeave(raw);
      await connection.workflowService.signalWorkflowExecution({
        namespace: 'default',
        workflowExecution: first.workflowExecution,
        signalName: 'approve',
        requestId: randomUUID(),
      });
      await connection.close();
      await server.stop();
      server = await startDevServer({ port: 0, dbFilename });
      connection = await Connection.connect({ address: server.address });
      const after = await rawWorker(connection, 'default', raw.taskQueue).poll(false);
      expect(after.workflowExecution?.runId).toBe(started.runId);
      expect(ids(after.history?.events)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      await connection.close();
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
