// Conformance (devserver only): a paused activity stays paused across a devserver restart on the same
// --db-filename — no attempt starts, describe still shows who paused it and why — and an unpause after the
// restart lets its retry run.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../devserver/server';
import type { TestTemporal } from '../support/temporal';
import type { OperatorProbe } from './operator-activities';
import { startOperatorHarness, type OperatorHarness } from './operator-harness';

const { PendingActivityState } = temporal.api.enums.v1;

/** A devserver on `dbFilename`, with connections and the operator suites' worker on `taskQueue`. */
async function serve(dbFilename: string, taskQueue: string, probe: OperatorProbe) {
  const server: DevServer = await startDevServer({ port: 0, dbFilename });
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const t: TestTemporal = {
    address: server.address,
    namespace: 'default',
    connection,
    client: new Client({ connection }),
    nativeConnection,
    devServer: server,
    async stop() {
      await nativeConnection.close();
      await connection.close();
      await server.stop();
    },
  };
  const harness: OperatorHarness = await startOperatorHarness(t, { taskQueue, probe });
  return {
    harness,
    async stop() {
      await harness.close();
      await t.stop();
    },
  };
}

async function pendingActivity(h: OperatorHarness, handle: WorkflowHandle) {
  const described = await h.temporal.connection.workflowService.describeWorkflowExecution({
    namespace: 'default',
    execution: { workflowId: handle.workflowId },
  });
  return described.pendingActivities?.[0];
}

describe.skipIf(!!process.env.TEMPORAL_ADDRESS)('devserver: activity pause across a restart', () => {
  it('keeps a paused activity paused after a restart, and runs its retry once unpaused', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-devserver-pause-'));
    const dbFilename = path.join(dir, 'state.db');
    const taskQueue = `pause-restart-${randomUUID()}`;
    const probe: OperatorProbe = { running: new Map(), released: new Set() };
    const key = `pausable-${randomUUID()}`;
    const target = { namespace: 'default', execution: { workflowId: key }, id: '1' };
    let served = await serve(dbFilename, taskQueue, probe);
    try {
      const h = served.harness;
      const handle = await h.temporal.client.workflow.start('pausableActivityWorkflow', {
        taskQueue,
        workflowId: key,
        args: [{ key, retry: true }],
      });
      await h.waitFor(() => probe.running.get(key) === 1);
      await h.temporal.connection.workflowService.pauseActivity({
        ...target,
        reason: 'disk full',
        identity: 'ops',
        requestId: randomUUID(),
      });
      await h.waitFor(
        async () => (await pendingActivity(h, handle))?.state === PendingActivityState.PENDING_ACTIVITY_STATE_PAUSED,
      );
      await served.stop();

      served = await serve(dbFilename, taskQueue, probe);
      const h2 = served.harness;
      const again = h2.temporal.client.workflow.getHandle(key);
      // Past the retry's 100 ms backoff: a paused activity gets no attempt, on the old server or the new one.
      await new Promise((r) => setTimeout(r, 1000));
      expect(probe.running.get(key)).toBe(1);
      const held = (await pendingActivity(h2, again))!;
      expect(held.state).toBe(PendingActivityState.PENDING_ACTIVITY_STATE_PAUSED);
      expect(held.paused).toBe(true);
      expect(held.attempt).toBe(2);
      expect(held.pauseInfo?.manual).toMatchObject({ identity: 'ops', reason: 'disk full' });

      await h2.temporal.connection.workflowService.unpauseActivity(target);
      expect(await again.result()).toBe('attempt 2');
      await h2.replay(key);
    } finally {
      await served.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
