// Conformance: the namespace of every call is checked first, as the real frontend's interceptors do — an unknown
// namespace is NamespaceNotFound whatever the RPC (schedules the devserver lacks, async completion with a token that
// cannot be read), a missing one is refused, and a task token only works in the namespace that issued it.
import { randomUUID } from 'node:crypto';
import Long from 'long';
import { ActivityNotFoundError, Client, NamespaceNotFoundError } from '@temporalio/client';
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
const missing = () => `missing-${randomUUID()}`;

async function refusal(call: Promise<unknown>): Promise<{ code?: number; details?: string }> {
  return call.then(
    () => ({}),
    (err: { code?: number; details?: string }) => ({ code: err.code, details: err.details }),
  );
}

function clientOf(namespace: string): Client {
  return new Client({ connection: h.temporal.connection, namespace });
}

describe('devserver conformance: namespace checks', () => {
  it('reports an unknown namespace on schedule RPCs as NamespaceNotFoundError, before anything else', async () => {
    const namespace = missing();
    const schedules = clientOf(namespace).schedule;
    const create = schedules.create({
      scheduleId: 'nightly',
      spec: { calendars: [{ hour: { start: 2, end: 7, step: 1 } }] },
      action: { type: 'startWorkflow', workflowType: 'greetWorkflow', taskQueue: h.taskQueue },
    });
    await expect(create).rejects.toThrow(NamespaceNotFoundError);
    await expect(create).rejects.toThrow(`Namespace not found: '${namespace}'`);
    const list = schedules.list()[Symbol.asyncIterator]().next();
    await expect(list).rejects.toThrow(NamespaceNotFoundError);
  });

  it('checks the namespace of an async completion before it reads the task token', async () => {
    const garbage = new Uint8Array([1]);
    const unknown = clientOf(missing()).activity.complete(garbage, 'result');
    await expect(unknown).rejects.toThrow(NamespaceNotFoundError);
    // In a namespace that exists, a token nobody issued names no activity.
    await expect(h.temporal.client.activity.complete(garbage, 'result')).rejects.toThrow(ActivityNotFoundError);
  });

  it('refuses a call without a namespace, and lists a schedule-less namespace as unimplemented', async () => {
    expect(
      await refusal(service().describeWorkflowExecution({ namespace: '', execution: { workflowId: 'x' } })),
    ).toEqual(
      { code: 3, details: 'Namespace is empty.' }, // INVALID_ARGUMENT
    );
    expect(await refusal(service().describeNamespace({}))).toEqual({
      code: 3,
      details: 'Namespace not set on request.',
    });
    if (!h.temporal.devServer) return; // a real cluster implements schedules
    const listed = await refusal(service().listSchedules({ namespace: h.temporal.namespace }));
    expect(listed.code).toBe(12); // UNIMPLEMENTED, once the namespace is known
  });

  it('accepts a task token only in the namespace that issued it, and fills a missing namespace from it', async () => {
    if (!h.temporal.devServer) return; // registering namespaces on a shared cluster is not a test's business
    const other = `kiln-${randomUUID()}`;
    await service().registerNamespace({
      namespace: other,
      workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) },
    });
    const taskQueue = `ns-token-${randomUUID()}`;
    const handle = await h.temporal.client.workflow.start('greetWorkflow', {
      taskQueue,
      workflowId: h.id('ns-token'),
      args: ['x'],
    });
    const task = await service().pollWorkflowTaskQueue({
      namespace: h.temporal.namespace,
      taskQueue: { name: taskQueue, kind: 1 },
      identity: 'raw-test-poller',
    });
    const complete = { taskToken: task.taskToken, identity: 'raw-test-poller', commands: [] };
    expect(await refusal(service().respondWorkflowTaskCompleted({ ...complete, namespace: other }))).toEqual({
      code: 3,
      details: 'Operation requested with a token from a different namespace.',
    });
    expect(
      await refusal(service().respondWorkflowTaskCompleted({ ...complete, namespace: '', taskToken: null })),
    ).toEqual({ code: 3, details: 'Task token not set on request.' });
    await service().respondWorkflowTaskCompleted({ ...complete, namespace: '' });
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.some((e) => e.workflowTaskCompletedEventAttributes)).toBe(true);
    await handle.terminate();
  });
});
