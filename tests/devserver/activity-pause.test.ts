// Conformance: PauseActivity, UnpauseActivity, ResetActivity and UpdateActivityOptions as SDK 1.24 uses them: the
// worker hears activity_paused / activity_reset on heartbeat and cancels the attempt with that reason.
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { WorkflowHandle } from '@temporalio/client';
import type { ActivityCancellationDetails } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PauseScenario } from './operator-activities';
import { startOperatorHarness, type OperatorHarness } from './operator-harness';

const { PendingActivityState } = temporal.api.enums.v1;
const ACTIVITY_ID = '1'; // the workflow's only activity

let h: OperatorHarness;
beforeAll(async () => {
  h = await startOperatorHarness();
});
afterAll(async () => {
  await h?.close();
});

const service = () => h.temporal.connection.workflowService;

/** Starts the workflow and waits until its activity's first attempt runs (heartbeats). */
async function running(scenario: Partial<PauseScenario> = {}) {
  const key = h.id('pausable');
  const handle = await h.temporal.client.workflow.start('pausableActivityWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: key,
    args: [{ key, ...scenario }],
  });
  if (!scenario.immediate) await h.waitFor(() => h.probe.running.get(key) === 1);
  return { handle, key };
}

function target(handle: WorkflowHandle) {
  return { namespace: h.temporal.namespace, execution: { workflowId: handle.workflowId }, id: ACTIVITY_ID };
}

async function pending(handle: WorkflowHandle) {
  const described = await service().describeWorkflowExecution({
    namespace: h.temporal.namespace,
    execution: { workflowId: handle.workflowId },
  });
  return described.pendingActivities?.[0];
}

async function refusal(call: Promise<unknown>): Promise<{ code?: number; details?: string }> {
  const err = (await call.then(
    () => ({}),
    (e: unknown) => e,
  )) as { code?: number; details?: string };
  return { code: err.code, details: err.details };
}

const details = (over: Partial<ActivityCancellationDetails>) => ({
  cancelRequested: false,
  notFound: false,
  paused: false,
  timedOut: false,
  workerShutdown: false,
  reset: false,
  ...over,
});

describe('devserver conformance: activity pause and reset', () => {
  it('cancels a running attempt as paused when the activity is paused', async () => {
    const { handle } = await running();
    await service().pauseActivity({ ...target(handle), reason: 'investigating', requestId: randomUUID() });
    expect(await handle.result()).toEqual(details({ paused: true }));
  });

  it('holds the retry of a paused activity until it is unpaused, and refuses a second pause', async () => {
    const { handle, key } = await running({ retry: true });
    const requestId = randomUUID();
    await service().pauseActivity({ ...target(handle), reason: 'investigating', identity: 'ops', requestId });
    await h.waitFor(async () => (await pending(handle))?.state === PendingActivityState.PENDING_ACTIVITY_STATE_PAUSED);
    const held = (await pending(handle))!;
    expect(held.attempt).toBe(2);
    expect(held.paused).toBe(true);
    expect(held.pauseInfo?.manual).toMatchObject({ identity: 'ops', reason: 'investigating' });
    expect(held.lastFailure?.message).toBe('Activity paused');
    // Repeating the request is accepted; another pause is refused.
    await service().pauseActivity({ ...target(handle), requestId });
    expect(await refusal(service().pauseActivity({ ...target(handle), requestId: randomUUID() }))).toEqual({
      code: GrpcStatus.FAILED_PRECONDITION,
      details: 'activity is already paused',
    });
    expect((await refusal(service().pauseActivity({ ...target(handle), id: 'no-such-activity' }))).code).toBe(
      GrpcStatus.NOT_FOUND,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(h.probe.running.get(key)).toBe(1);
    await service().unpauseActivity(target(handle));
    expect(await handle.result()).toBe('attempt 2');
  });

  it('cancels a running attempt as reset, and retries it from attempt 1', async () => {
    const once = await running();
    await service().resetActivity(target(once.handle));
    expect(await once.handle.result()).toEqual(details({ reset: true }));

    const retried = await running({ retry: true });
    await service().resetActivity(target(retried.handle));
    expect(await retried.handle.result()).toBe('attempt 2');
  });

  it('reports both when an activity is reset and paused', async () => {
    const { handle, key } = await running({ held: true });
    await service().resetActivity(target(handle));
    await service().pauseActivity({ ...target(handle), requestId: randomUUID() });
    h.probe.released.add(key);
    expect(await handle.result()).toEqual(details({ paused: true, reset: true }));
  });

  it('keeps a running activity paused through a reset, and unpauses one that is not running', async () => {
    const { handle, key } = await running({ retry: true, held: true });
    await service().pauseActivity({ ...target(handle), requestId: randomUUID() });
    await service().resetActivity(target(handle));
    h.probe.released.add(key);
    // The attempt hears both on its next heartbeat and fails; the retry waits for an unpause.
    await h.waitFor(async () => (await pending(handle))?.state === PendingActivityState.PENDING_ACTIVITY_STATE_PAUSED);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.probe.running.get(key)).toBe(1);
    // Not running now, so a reset without keepPaused unpauses it and attempt 1 starts again.
    await service().resetActivity(target(handle));
    await h.waitFor(async () => (await pending(handle))?.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
    expect(await pending(handle)).toMatchObject({ paused: false, attempt: 1 });
    await handle.terminate('done');
  });

  it('does not start a paused activity that was waiting on its queue', async () => {
    const activityQueue = h.id('paused-queue');
    const { handle, key } = await running({ immediate: true, activityQueue });
    await h.waitFor(async () => (await pending(handle)) !== undefined);
    await service().pauseActivity({ ...target(handle), requestId: randomUUID() });
    expect((await pending(handle))?.state).toBe(PendingActivityState.PENDING_ACTIVITY_STATE_PAUSED);
    await h.startWorker(activityQueue);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.probe.running.has(key)).toBe(false);
    await service().unpauseActivity(target(handle));
    expect(await handle.result()).toBe('attempt 1');
  });
});

describe('devserver conformance: UpdateActivityOptions', () => {
  it('merges the masked fields, normalizes timeouts, shows them in describe and restores the originals', async () => {
    const { handle } = await running({ retry: true });
    await service().pauseActivity({ ...target(handle), requestId: randomUUID() });
    await h.waitFor(async () => (await pending(handle))?.state === PendingActivityState.PENDING_ACTIVITY_STATE_PAUSED);
    const seconds = (n: number) => ({ seconds: Long.fromNumber(n) });
    const updated = await service().updateActivityOptions({
      ...target(handle),
      activityOptions: {
        startToCloseTimeout: seconds(7),
        heartbeatTimeout: seconds(30),
        retryPolicy: { maximumAttempts: 5 },
      },
      updateMask: { paths: ['start_to_close_timeout', 'heartbeat_timeout', 'retry_policy.maximum_attempts'] },
    });
    expect(Number(updated.activityOptions?.startToCloseTimeout?.seconds)).toBe(7);
    // A heartbeat timeout longer than start-to-close is cut to it, as on the real server.
    expect(Number(updated.activityOptions?.heartbeatTimeout?.seconds)).toBe(7);
    expect(updated.activityOptions?.retryPolicy?.maximumAttempts).toBe(5);
    const described = (await pending(handle))!;
    expect(described.maximumAttempts).toBe(5);
    expect(Number(described.activityOptions?.startToCloseTimeout?.seconds)).toBe(7);

    expect(await refusal(service().updateActivityOptions({ ...target(handle), activityOptions: {} }))).toEqual({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: 'UpdateMask is not provided',
    });
    expect(
      await refusal(
        service().updateActivityOptions({ ...target(handle), updateMask: { paths: [] }, restoreOriginal: true }),
      ),
    ).toEqual({ code: GrpcStatus.INVALID_ARGUMENT, details: 'Both UpdateMask and RestoreOriginal are provided' });
    const restored = await service().updateActivityOptions({ ...target(handle), restoreOriginal: true });
    expect(Number(restored.activityOptions?.startToCloseTimeout?.seconds)).toBe(20);
    expect(restored.activityOptions?.retryPolicy?.maximumAttempts).toBe(2);

    await service().unpauseActivity(target(handle));
    expect(await handle.result()).toBe('attempt 2');
  });
});
