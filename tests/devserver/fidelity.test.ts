// Conformance: details the real server returns that the SDK relies on (typed errors, history size, metadata,
// root execution, priority, child timeouts), checked with the real SDK against the devserver or TEMPORAL_ADDRESS.
import { Client, NamespaceNotFoundError, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

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
});
