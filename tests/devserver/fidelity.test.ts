// Conformance: details the real server returns that the SDK relies on (typed errors, history size, metadata,
// root execution, priority, child timeouts), checked with the real SDK against the devserver or TEMPORAL_ADDRESS.
import { Client, Connection, NamespaceNotFoundError, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServerOptions } from '../../devserver/server';
import type { TestTemporal } from '../support/temporal';
import { startHarness, type Harness } from './harness';
import type { HistoryGrowth, RootReport } from './workflows';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** A harness on its own in-process devserver started with `options` (for server settings a test lowers). */
async function harnessWith(options: DevServerOptions): Promise<Harness> {
  const devServer = await startDevServer({ port: 0, ...options });
  const connection = await Connection.connect({ address: devServer.address });
  const nativeConnection = await NativeConnection.connect({ address: devServer.address });
  const temporal: TestTemporal = {
    address: devServer.address,
    namespace: 'default',
    connection,
    client: new Client({ connection }),
    nativeConnection,
    devServer,
    async stop() {
      await nativeConnection.close();
      await connection.close();
      await devServer.stop();
    },
  };
  const harness = await startHarness(temporal);
  return {
    ...harness,
    async close() {
      await harness.close();
      await temporal.stop();
    },
  };
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The decoded summary of the first event with `attrs`. */
function summaryOf(events: HistoryEvent[], attrs: keyof HistoryEvent): unknown {
  const event = events.find((e) => e[attrs]);
  const summary = event?.userMetadata?.summary;
  return summary ? defaultPayloadConverter.fromPayload(summary) : undefined;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('devserver conformance: fidelity', () => {
  it('reports an unknown namespace as NamespaceNotFoundError, with the namespace named', async () => {
    const client = new Client({ connection: h.temporal.connection, namespace: 'no-such-namespace' });
    const err = await rejectionOf(client.workflow.getHandle('anything').describe());
    expect(err).toBeInstanceOf(NamespaceNotFoundError);
    expect((err as NamespaceNotFoundError).namespace).toBe('no-such-namespace');
  });

  it('reports a running workflow id as WorkflowExecutionAlreadyStartedError', async () => {
    const workflowId = h.id('dup');
    const handle = await h.temporal.client.workflow.start('approvalWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
    });
    const err = await rejectionOf(
      h.temporal.client.workflow.start('approvalWorkflow', { taskQueue: h.taskQueue, workflowId }),
    );
    expect(err).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    await handle.terminate();
  });

  it('reports a history size that grows with the history, without suggesting continue-as-new early', async () => {
    const growth: HistoryGrowth = await h.temporal.client.workflow.execute('historyGrowthWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: h.id('growth'),
      args: [3],
    });
    expect(growth.sizes[0]).toBeGreaterThan(0);
    for (let i = 1; i < 3; i++) {
      expect(growth.sizes[i]).toBeGreaterThan(growth.sizes[i - 1]!);
      expect(growth.lengths[i]).toBeGreaterThan(growth.lengths[i - 1]!);
    }
    expect(growth.suggested).toEqual([false, false, false]);
  });

  // The limits are server settings (`limit.historyCount.suggestContinueAsNew` on a real server), so this needs
  // its own devserver.
  it.skipIf(!!process.env.TEMPORAL_ADDRESS)('suggests continue-as-new once history reaches the limit', async () => {
    const own = await harnessWith({ historyLimits: { suggestContinueAsNewCount: 12 } });
    try {
      const growth: HistoryGrowth = await own.temporal.client.workflow.execute('historyGrowthWorkflow', {
        taskQueue: own.taskQueue,
        workflowId: own.id('suggest'),
        args: [3],
      });
      // After one activity the task started at 8 events; after two at 14, past the limit.
      expect(growth.suggested).toEqual([false, true, true]);
    } finally {
      await own.close();
    }
  });

  it('keeps summaries and details of the workflow, its timer, activity and child, and records root and priority', async () => {
    const workflowId = h.id('meta');
    const handle = await h.temporal.client.workflow.start('metadataWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      staticSummary: 'the parent',
      staticDetails: 'what the parent does',
      priority: { priorityKey: 2 },
    });
    const reports: RootReport[] = await handle.result();
    const parent = { workflowId, runId: handle.firstExecutionRunId };
    expect(reports).toEqual([
      { workflowId, root: undefined, priorityKey: 2 },
      { workflowId: `${workflowId}-child`, root: parent, priorityKey: 3 },
      { workflowId: `${workflowId}-child-child`, root: parent, priorityKey: 3 },
    ]);

    const described = await handle.describe();
    expect(await described.staticSummary()).toBe('the parent');
    expect(await described.staticDetails()).toBe('what the parent does');
    expect(described.rootExecution).toEqual(parent);
    expect(described.priority?.priorityKey).toBe(2);
    const child = await h.temporal.client.workflow.getHandle(`${workflowId}-child-child`).describe();
    expect(await child.staticSummary()).toBe('the child');
    expect(await child.staticDetails()).toBe('what the child does');
    expect(child.rootExecution).toEqual(parent);
    expect(child.priority?.priorityKey).toBe(3);

    const events = (await handle.fetchHistory()).events ?? [];
    expect(summaryOf(events, 'workflowExecutionStartedEventAttributes')).toBe('the parent');
    expect(summaryOf(events, 'timerStartedEventAttributes')).toBe('a short nap');
    expect(summaryOf(events, 'activityTaskScheduledEventAttributes')).toBe('say hello');
    expect(summaryOf(events, 'startChildWorkflowExecutionInitiatedEventAttributes')).toBe('the child');
    await h.replay(workflowId);
  });

  it('reports a child that reached its execution timeout as TIMEOUT, not as out of attempts', async () => {
    const workflowId = h.id('child-timeout');
    const outcome = await h.temporal.client.workflow.execute('timedOutChildWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
    });
    expect(outcome).toEqual({ retryState: 'TIMEOUT', cause: 'TimeoutFailure' });
    const child = await h.temporal.client.workflow.getHandle(`${workflowId}-child`).fetchHistory();
    const closed = child.events?.at(-1)?.workflowExecutionTimedOutEventAttributes;
    expect(closed?.retryState).toBe(3 /* RETRY_STATE_TIMEOUT */);
    expect(closed?.newExecutionRunId ?? '').toBe('');
  });
});
