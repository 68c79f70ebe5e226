// Conformance: eager execution as the real server does it. A start with requestEagerStart (a client on the worker's
// NativeConnection) gets its first workflow task in the StartWorkflowExecution response; activities the worker
// schedules on its own task queue come back in RespondWorkflowTaskCompletedResponse instead of the activity queue.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalConnectionOptions } from '../../worker/temporal-connection';
import { replayWorkflow, startTestTemporal, type TestTemporal } from '../support/temporal';
import { historyShapeProblems } from './history-shape';
import { createUpdateActivities } from './update-activities';
import { eagerActivitiesWorkflow, helloWorkflow } from './update-workflows';

const EventType = temporal.api.enums.v1.EventType;
const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

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

interface WorkerOptions {
  name: string;
  workflows: boolean;
  activities: boolean;
  /** Another connection than the suite's (core allows one worker per task queue and connection). */
  connection?: NativeConnection;
}

function createWorker(taskQueue: string, options: WorkerOptions) {
  return Worker.create({
    connection: options.connection ?? t.nativeConnection,
    namespace: t.namespace,
    taskQueue,
    workflowBundle: options.workflows ? workflowBundle : undefined,
    activities: options.activities ? createUpdateActivities(options.name) : undefined,
    shutdownGraceTime: '1s',
  });
}

async function checkedHistory(workflowId: string) {
  await replayWorkflow(t.client, { workflowBundle }, workflowId);
  const events = (await t.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  expect(historyShapeProblems(events)).toEqual([]);
  return events;
}

describe('devserver conformance: eager execution', () => {
  it('starts a workflow eagerly: its first task comes with the start response, started by the client', async () => {
    const taskQueue = `eager-${randomUUID()}`;
    const client = new Client({ connection: t.nativeConnection, namespace: t.namespace, identity: 'eager-client' });
    const worker = await createWorker(taskQueue, { name: 'worker', workflows: true, activities: false });
    const workflowId = `eager-${randomUUID()}`;
    await worker.runUntil(async () => {
      const handle = await client.workflow.start(helloWorkflow, {
        args: ['Temporal'],
        workflowId,
        taskQueue,
        requestEagerStart: true,
        workflowTaskTimeout: '1h', // a task that went through the queue instead would hang here
      });
      expect(handle.eagerlyStarted).toBe(true);
      expect(await handle.result()).toBe('Hello, Temporal!');
    });
    const events = await checkedHistory(workflowId);
    const started = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)!;
    expect(started.eventId?.toString()).toBe('3');
    // The real server starts an eager task on behalf of the start request: its identity, not a poller's.
    expect(started.workflowTaskStartedEventAttributes?.identity).toBe('eager-client');
  });

  it('dispatches activities eagerly to the worker whose workflow task scheduled them', async () => {
    const taskQueue = `eager-${randomUUID()}`;
    const connection = await NativeConnection.connect(temporalConnectionOptions(t.target!));
    try {
      const activityOnly = await createWorker(taskQueue, {
        connection,
        name: 'activity-only worker',
        workflows: false,
        activities: true,
      });
      const both = await createWorker(taskQueue, { name: 'workflow worker', workflows: true, activities: true });
      const handle = await t.client.workflow.start(eagerActivitiesWorkflow, {
        args: [10],
        taskQueue,
        workflowId: `eager-${randomUUID()}`,
      });
      const answers = await activityOnly.runUntil(both.runUntil(handle.result()));
      // Without eager dispatch each activity would go to either worker.
      expect(answers).toEqual(Array.from({ length: 10 }, () => 'workflow worker'));
      const events = await checkedHistory(handle.workflowId);
      const started = events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
      expect(started.map((e) => e.activityTaskStartedEventAttributes?.attempt)).toEqual(Array(10).fill(1));
    } finally {
      await connection.close();
    }
  });

  it('queues activities of a worker without activities for the workers that poll for them', async () => {
    const taskQueue = `eager-${randomUUID()}`;
    const connection = await NativeConnection.connect(temporalConnectionOptions(t.target!));
    try {
      const activityOnly = await createWorker(taskQueue, {
        connection,
        name: 'activity-only worker',
        workflows: false,
        activities: true,
      });
      const workflowOnly = await createWorker(taskQueue, { name: 'unused', workflows: true, activities: false });
      const handle = await t.client.workflow.start(eagerActivitiesWorkflow, {
        args: [3],
        taskQueue,
        workflowId: `eager-${randomUUID()}`,
      });
      expect(await activityOnly.runUntil(workflowOnly.runUntil(handle.result()))).toEqual(
        Array(3).fill('activity-only worker'),
      );
      await checkedHistory(handle.workflowId);
    } finally {
      await connection.close();
    }
  });
});
