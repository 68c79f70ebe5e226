// Conformance: a workflow outlives its worker, and (devserver only) a devserver restarted on the same
// --db-filename still has its workflows, timers and activities.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer } from '../../devserver/server';
import type { TestTemporal } from '../support/temporal';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('devserver conformance: durability', () => {
  it('lets a new worker finish a workflow whose worker shut down mid-way', async () => {
    const workflowId = h.id('worker-restart');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', { taskQueue: h.taskQueue, workflowId });
    expect(await handle.query<string>('status')).toBe('waiting');
    await h.stopWorker();
    await handle.signal('approve', 'dave');
    await h.startWorker();
    expect(await handle.result()).toBe('approved by dave');
    await h.replay(workflowId);
  });

  it('answers a stopping worker’s open polls, so it shuts down at once without cancelling them', async () => {
    const described = await h.temporal.connection.workflowService.describeNamespace({
      namespace: h.temporal.namespace,
    });
    // With this capability the SDK waits for its polls to end instead of cancelling them (a task handed to a poll
    // being cancelled would wait out its timeout), so ShutdownWorker must answer them.
    expect(described.namespaceInfo?.capabilities?.workerPollCompleteOnShutdown).toBe(true);
    const queue = h.id('shutdown-polls');
    const { worker, done } = await h.startWorker(queue);
    await new Promise((resolve) => setTimeout(resolve, 500)); // its workflow and activity polls are waiting now
    const started = Date.now();
    worker.shutdown();
    await done;
    // An unanswered poll would hold the worker for its whole long-poll wait (up to 60 s).
    expect(Date.now() - started).toBeLessThan(10_000);
    // A workflow on that queue is not lost to the stopped worker: the next one runs it.
    const handle = await h.temporal.client.workflow.start('greetWorkflow', {
      taskQueue: queue,
      workflowId: queue,
      args: ['Eve'],
    });
    const next = await h.startWorker(queue);
    expect(await handle.result()).toBe('Hello, Eve!');
    next.worker.shutdown();
    await next.done;
  });

  it.skipIf(!!process.env.TEMPORAL_ADDRESS)(
    'resumes timers and activities after a devserver restart on the same --db-filename',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-devserver-'));
      const dbFilename = path.join(dir, 'state.db');
      const first = await startDevServer({ port: 0, dbFilename });
      const temporal = await connect(first.address);
      const harness = await startHarness(temporal);
      try {
        const timerId = harness.id('restart-timer');
        const retryId = harness.id('restart-retry');
        await temporal.client.workflow.start('sleepyWorkflow', {
          taskQueue: harness.taskQueue,
          workflowId: timerId,
          args: [1500],
        });
        await temporal.client.workflow.start('retryWorkflow', {
          taskQueue: harness.taskQueue,
          workflowId: retryId,
          args: [retryId],
        });
        await new Promise((r) => setTimeout(r, 300));
        await harness.stopWorker();
        await temporal.stop();
        await first.stop();

        const second = await startDevServer({ port: 0, dbFilename });
        const temporal2 = await connect(second.address);
        const harness2 = await startHarness(temporal2, harness.taskQueue);
        try {
          const timerHandle = temporal2.client.workflow.getHandle(timerId);
          expect(await timerHandle.result()).toBe('woke up');
          // An attempt running while the first worker shut down may fail with the shutdown, so "at least 3".
          expect(await temporal2.client.workflow.getHandle(retryId).result()).toBeGreaterThanOrEqual(3);
          await harness2.replay(timerId);
          await harness2.replay(retryId);
        } finally {
          await harness2.close();
          await temporal2.stop();
          await second.stop();
        }
      } finally {
        await harness.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});

// Like startTestTemporal, but against a devserver this test owns (it must restart it).
async function connect(address: string): Promise<TestTemporal> {
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  return {
    address,
    namespace: 'default',
    connection,
    client,
    nativeConnection,
    devServer: undefined,
    async stop() {
      await nativeConnection.close();
      await connection.close();
    },
  };
}
