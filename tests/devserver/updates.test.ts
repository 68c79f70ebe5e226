// Conformance: workflow updates through the real SDK (executeUpdate, startUpdate + result, getUpdateHandle,
// update-with-start) — accepted, rejected by a validator, deduplicated by id, delivered after a running task or a
// start delay, aborted by a closing workflow, and (devserver only) still there after a restart on --db-filename.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  Client,
  Connection,
  isGrpcServiceError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer } from '../../devserver/server';
import { replayWorkflow, startTestTemporal, type TestTemporal } from '../support/temporal';
import { historyShapeProblems } from './history-shape';
import { createUpdateActivities } from './update-activities';
import {
  activityUpdate,
  addUpdate,
  busySignal,
  finishSignal,
  releaseSignal,
  updatableWorkflow,
  waitUpdate,
} from './update-workflows';

const EventType = temporal.api.enums.v1.EventType;
const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
const onDevServer = !process.env.TEMPORAL_ADDRESS;

let t: TestTemporal;
let workflowBundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  t = await startTestTemporal();
  workflowBundle = await bundleWorkflowCode({
    workflowsPath: path.join(import.meta.dirname, 'update-workflows.ts'),
    logger: quietLogger,
  });
});
afterAll(async () => {
  await t?.stop();
});

async function withWorker<T>(temporalEnv: TestTemporal, taskQueue: string, fn: () => Promise<T>): Promise<T> {
  const worker = await Worker.create({
    connection: temporalEnv.nativeConnection,
    namespace: temporalEnv.namespace,
    taskQueue,
    workflowBundle,
    activities: createUpdateActivities('worker'),
    shutdownGraceTime: '1s',
  });
  return await worker.runUntil(fn);
}

async function startUpdatable(client: Client, taskQueue = `updates-${randomUUID()}`) {
  const handle = await client.workflow.start(updatableWorkflow, { taskQueue, workflowId: `upd-${randomUUID()}` });
  return { handle, taskQueue };
}

async function events(handle: WorkflowHandle) {
  return (await handle.fetchHistory()).events ?? [];
}

const ofType = (list: temporal.api.history.v1.IHistoryEvent[], type: number) =>
  list.filter((e) => e.eventType === type);

/** Replays the run with the bundle (no nondeterminism) and checks the real server's history shape. */
async function replay(client: Client, workflowId: string): Promise<void> {
  await replayWorkflow(client, { workflowBundle }, workflowId);
  const problems = historyShapeProblems(await events(client.workflow.getHandle(workflowId)));
  expect(problems).toEqual([]);
}

/** Resolves once the server knows the update (PollWorkflowExecutionUpdate without a wait stage stops failing). */
async function admitted(client: Client, workflowId: string, updateId: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await client.workflowService.pollWorkflowExecutionUpdate({
        namespace: client.options.namespace,
        updateRef: { workflowExecution: { workflowId }, updateId },
      });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`update ${updateId} was never admitted`);
}

describe('devserver conformance: workflow updates', () => {
  it('accepts and completes updates: the caller gets each result, history records them after their task', async () => {
    const { handle, taskQueue } = await startUpdatable(t.client);
    await withWorker(t, taskQueue, async () => {
      expect(await handle.executeUpdate(addUpdate, { args: ['a'] })).toEqual(['a']);
      const second = await handle.startUpdate(addUpdate, { args: ['b'], waitForStage: WorkflowUpdateStage.ACCEPTED });
      expect(await second.result()).toEqual(['a', 'b']);
      await handle.signal(finishSignal);
      expect(await handle.result()).toEqual(['a', 'b']);
      const history = await events(handle);
      const accepted = ofType(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
      const completed = ofType(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
      expect(accepted).toHaveLength(2);
      expect(completed).toHaveLength(2);
      const second2 = accepted[1]!.workflowExecutionUpdateAcceptedEventAttributes!;
      expect(second2.protocolInstanceId).toBe(second.updateId);
      expect(second2.acceptedRequest?.input?.name).toBe('add');
      const acceptedId = Number(accepted[1]!.eventId);
      expect(Number(completed[1]!.workflowExecutionUpdateCompletedEventAttributes!.acceptedEventId)).toBe(acceptedId);
      // An accepted update is a command event: it directly follows the WorkflowTaskCompleted that carried it.
      expect(history[acceptedId - 2]!.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    });
    await replay(t.client, handle.workflowId);
  });

  it('fails an update its validator rejects and leaves nothing of it in history', async () => {
    const { handle, taskQueue } = await startUpdatable(t.client);
    await withWorker(t, taskQueue, async () => {
      expect(await handle.executeUpdate(addUpdate, { args: ['a'] })).toEqual(['a']);
      const before = (await events(handle)).length;
      const err = await handle.executeUpdate(addUpdate, { args: ['bad'] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((err as WorkflowUpdateFailedError).cause).toBeInstanceOf(ApplicationFailure);
      expect((err as WorkflowUpdateFailedError).cause?.message).toMatch(/Validation failed/);
      // The speculative task that carried it is discarded too: not one event was written.
      expect((await events(handle)).length).toBe(before);
      expect(await handle.executeUpdate(addUpdate, { args: ['c'] })).toEqual(['a', 'c']);
      await handle.signal(finishSignal);
      expect(await handle.result()).toEqual(['a', 'c']);
    });
    const history = await events(handle);
    expect(ofType(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(2);
    await replay(t.client, handle.workflowId);
  });

  it('delivers an update sent while a workflow task runs on the next task', async () => {
    const { handle, taskQueue } = await startUpdatable(t.client);
    await withWorker(t, taskQueue, async () => {
      await handle.signal(busySignal, 1500);
      // Wait until the task that handles the signal is running (its local activity keeps it started).
      for (;;) {
        const history = await events(handle);
        const last = history[history.length - 1]!;
        const signaled = ofType(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).length > 0;
        if (signaled && last.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await handle.executeUpdate(addUpdate, { args: ['during'] })).toEqual(['during']);
      await handle.signal(finishSignal);
      await handle.result();
    });
    const history = await events(handle);
    const marker = ofType(history, EventType.EVENT_TYPE_MARKER_RECORDED)[0]!;
    const accepted = ofType(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)[0]!;
    const tasksBetween = history
      .slice(Number(marker.eventId), Number(accepted.eventId))
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
    expect(tasksBetween).toHaveLength(1);
    await replay(t.client, handle.workflowId);
  });

  it('deduplicates by update id, also once the workflow closed; a new update on a closed run is refused', async () => {
    const { handle, taskQueue } = await startUpdatable(t.client);
    await withWorker(t, taskQueue, async () => {
      const updateId = 'same-id';
      expect(await handle.executeUpdate(addUpdate, { args: ['x'], updateId })).toEqual(['x']);
      expect(await handle.executeUpdate(addUpdate, { args: ['y'], updateId })).toEqual(['x']);
      expect(await t.client.workflow.getHandle(handle.workflowId).getUpdateHandle(updateId).result()).toEqual(['x']);
      await handle.signal(finishSignal);
      expect(await handle.result()).toEqual(['x']);
      expect(await handle.executeUpdate(addUpdate, { args: ['z'], updateId })).toEqual(['x']);
      const err = await handle.executeUpdate(addUpdate, { args: ['z'] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowNotFoundError);
      expect((err as Error).message).toBe('workflow execution already completed');
    });
    expect(ofType(await events(handle), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(1);
    await replay(t.client, handle.workflowId);
  });

  it('runs update handlers that wait for a signal or an activity, across several workflow tasks', async () => {
    const { handle, taskQueue } = await startUpdatable(t.client);
    await withWorker(t, taskQueue, async () => {
      const waiting = await handle.startUpdate(waitUpdate, { waitForStage: WorkflowUpdateStage.ACCEPTED });
      expect(await handle.executeUpdate(activityUpdate, { args: ['asked'] })).toBe('asked: worker');
      await handle.signal(releaseSignal);
      expect(await waiting.result()).toBe('released');
      await handle.signal(finishSignal);
      await handle.result();
    });
    await replay(t.client, handle.workflowId);
  });

  it('fails an update that was not accepted when its workflow is terminated', async () => {
    const { handle } = await startUpdatable(t.client);
    const pending = handle.executeUpdate(addUpdate, { args: ['late'], updateId: 'late' }).catch((e: unknown) => e);
    await admitted(t.client, handle.workflowId, 'late');
    await handle.terminate('no worker came');
    const err = await pending;
    expect(err).toBeInstanceOf(WorkflowNotFoundError);
    expect((err as Error).message).toMatch(/aborted by closing workflow/);
  });

  it('fails an accepted update with AcceptedUpdateCompletedWorkflow when its workflow completes first', async () => {
    const { handle, taskQueue } = await startUpdatable(t.client);
    await withWorker(t, taskQueue, async () => {
      const waiting = await handle.startUpdate(waitUpdate, { waitForStage: WorkflowUpdateStage.ACCEPTED });
      await handle.signal(finishSignal);
      await handle.result();
      const err = await waiting.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(((err as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(
        'AcceptedUpdateCompletedWorkflow',
      );
    });
    await replay(t.client, handle.workflowId);
  });

  it('starts a delayed workflow for an update sent before any worker polls', { timeout: 30_000 }, async () => {
    const taskQueue = `updates-${randomUUID()}`;
    const handle = await t.client.workflow.start(updatableWorkflow, {
      taskQueue,
      workflowId: `upd-${randomUUID()}`,
      startDelay: '1 day',
    });
    const pending = handle.executeUpdate(addUpdate, { args: ['early'], updateId: 'early' });
    await admitted(t.client, handle.workflowId, 'early');
    // No worker for longer than the speculative task's 5 s schedule-to-start timeout: a normal task takes over.
    await new Promise((r) => setTimeout(r, 5500));
    await withWorker(t, taskQueue, async () => {
      expect(await pending).toEqual(['early']);
      await handle.signal(finishSignal);
      expect(await handle.result()).toEqual(['early']);
    });
    const timedOut = ofType(await events(handle), EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    expect(timedOut.map((e) => e.workflowTaskTimedOutEventAttributes?.timeoutType)).toEqual([
      temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START,
    ]);
    await replay(t.client, handle.workflowId);
  });

  it('update-with-start starts the workflow, joins it with USE_EXISTING and fails with FAIL', async () => {
    const taskQueue = `updates-${randomUUID()}`;
    const workflowId = `uws-${randomUUID()}`;
    const operation = (conflict: 'USE_EXISTING' | 'FAIL', id = workflowId) =>
      new WithStartWorkflowOperation(updatableWorkflow, {
        workflowId: id,
        taskQueue,
        workflowIdConflictPolicy: conflict,
      });
    await withWorker(t, taskQueue, async () => {
      const first = operation('USE_EXISTING');
      const result = await t.client.workflow.executeUpdateWithStart(addUpdate, {
        args: ['first'],
        startWorkflowOperation: first,
      });
      expect(result).toEqual(['first']);
      const second = operation('USE_EXISTING');
      const update = await t.client.workflow.startUpdateWithStart(addUpdate, {
        args: ['second'],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
        startWorkflowOperation: second,
      });
      expect(await update.result()).toEqual(['first', 'second']);
      const runOf = async (op: typeof first) => (await (await op.workflowHandle()).describe()).runId;
      expect(await runOf(second)).toBe(await runOf(first));
      const conflict = operation('FAIL');
      await expect(
        t.client.workflow.executeUpdateWithStart(addUpdate, { args: ['third'], startWorkflowOperation: conflict }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      await expect(conflict.workflowHandle()).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      const tooLong = operation('FAIL', 'x'.repeat(1001));
      const invalid = await t.client.workflow
        .executeUpdateWithStart(addUpdate, { args: ['x'], startWorkflowOperation: tooLong })
        .catch((e: unknown) => e);
      expect(isGrpcServiceError(invalid) && invalid.code).toBe(3); // INVALID_ARGUMENT
      expect((invalid as Error).message).toMatch(/workflowid.*length/i);
      const handle = t.client.workflow.getHandle(workflowId);
      await handle.signal(finishSignal);
      expect(await handle.result()).toEqual(['first', 'second']);
    });
    const history = await events(t.client.workflow.getHandle(workflowId));
    // The update went out with the first workflow task: accepted right after its completion (events 4, 5).
    expect(history[4]!.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    await replay(t.client, workflowId);
  });

  it.skipIf(!onDevServer)(
    'keeps completed, accepted and admitted updates across a devserver restart on the same --db-filename',
    { timeout: 60_000 },
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-devserver-updates-'));
      const dbFilename = path.join(dir, 'state.db');
      try {
        const first = await startDevServer({ port: 0, dbFilename });
        const before = await connect(first.address);
        const { handle, taskQueue } = await startUpdatable(before.client);
        await withWorker(before, taskQueue, async () => {
          await handle.executeUpdate(addUpdate, { args: ['a'], updateId: 'completed' });
          await handle.startUpdate(waitUpdate, { updateId: 'accepted', waitForStage: WorkflowUpdateStage.ACCEPTED });
        });
        // Sent while no worker polls: only admitted when the devserver stops.
        void handle.executeUpdate(addUpdate, { args: ['b'], updateId: 'admitted' }).catch(() => undefined);
        await admitted(before.client, handle.workflowId, 'admitted');
        await before.stop();
        await first.stop();

        const second = await startDevServer({ port: 0, dbFilename });
        const after = await connect(second.address);
        try {
          const again = after.client.workflow.getHandle(handle.workflowId);
          expect(await again.getUpdateHandle('completed').result()).toEqual(['a']);
          await withWorker(after, taskQueue, async () => {
            expect(await again.getUpdateHandle('admitted').result()).toEqual(['a', 'b']);
            await again.signal(releaseSignal);
            expect(await again.getUpdateHandle('accepted').result()).toBe('released');
            await again.signal(finishSignal);
            expect(await again.result()).toEqual(['a', 'b']);
          });
          await replay(after.client, handle.workflowId);
        } finally {
          await after.stop();
          await second.stop();
        }
      } finally {
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
