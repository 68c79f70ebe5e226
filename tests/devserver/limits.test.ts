// Conformance: payload size limits as the real server applies them (`limit.blobSize.*`, `limit.memoSize.*`). The
// namespace advertises them, so the SDK's worker fails an oversized completion itself; a worker that opts out sends
// it, and the server fails the workflow task and terminates the run; oversized client requests are refused and an
// oversized activity result fails the activity.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ActivityFailure, Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamicConfigOptions } from '../../devserver/dynamic-config';
import { startDevServer, type DevServer } from '../../devserver/server';
import type { LimitActivities, PayloadSizes } from './limits-workflows';

const here = path.dirname(fileURLToPath(import.meta.url));
const { WorkflowTaskFailedCause: Cause } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

// The limits the SDK's own size-limit tests start their server with.
const ERROR_LIMIT = 10 * 1024;
const LIMITS = { blobSizeError: ERROR_LIMIT, blobSizeWarn: 2 * 1024, memoSizeError: 4 * 1024, memoSizeWarn: 1024 };
const activities: LimitActivities = { sized: async (_input, resultBytes) => 'z'.repeat(resultBytes) };

let server: DevServer;
let connection: Connection;
let native: NativeConnection;
let client: Client;
let bundle: WorkflowBundleWithSourceMap;
const workers: { worker: Worker; done: Promise<void> }[] = [];

beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Installed already by an earlier suite in this process.
  }
  server = await startDevServer({ port: 0, payloadLimits: LIMITS });
  connection = await Connection.connect({ address: server.address });
  native = await NativeConnection.connect({ address: server.address });
  client = new Client({ connection });
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
  bundle = await bundleWorkflowCode({ workflowsPath: path.join(here, 'limits-workflows.ts'), logger: quiet });
});
afterAll(async () => {
  for (const { worker } of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  await Promise.all(workers.map((w) => w.done));
  await native?.close();
  await connection?.close();
  await server?.stop();
});

/** Starts a worker on a fresh queue and returns the queue. */
async function workerQueue(disablePayloadErrorLimit = false): Promise<string> {
  const taskQueue = `limits-${randomUUID()}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities,
    disablePayloadErrorLimit,
    shutdownGraceTime: '1s',
  });
  workers.push({ worker, done: worker.run() });
  return taskQueue;
}

async function run(taskQueue: string, sizes: PayloadSizes, workflowExecutionTimeout = '20s') {
  const handle = await client.workflow.start('payloadSizeWorkflow', {
    taskQueue,
    workflowId: `limits-${randomUUID()}`,
    args: [sizes],
    workflowExecutionTimeout,
  });
  const failure = await handle.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  return { failure, events: (await handle.fetchHistory()).events ?? [] };
}

function closingEvents(events: HistoryEvent[]) {
  const failed = events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes;
  const terminated = events.at(-1)?.workflowExecutionTerminatedEventAttributes;
  return {
    failed,
    terminated,
    afterFailure: events.slice(events.findIndex((e) => e.workflowTaskFailedEventAttributes)),
  };
}

describe('devserver conformance: payload size limits', () => {
  it('advertises the namespace limits, which the worker enforces on its own completions', async () => {
    const described = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(Number(described.namespaceInfo?.limits?.blobSizeLimitError)).toBe(ERROR_LIMIT);
    expect(Number(described.namespaceInfo?.limits?.memoSizeLimitError)).toBe(LIMITS.memoSizeError);
    const { failure, events } = await run(await workerQueue(), { workflowResult: ERROR_LIMIT + 1024 }, '5s');
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const causes = events.map((e) => e.workflowTaskFailedEventAttributes?.cause).filter((c) => c !== undefined);
    expect(causes).toContain(Cause.WORKFLOW_TASK_FAILED_CAUSE_PAYLOADS_TOO_LARGE);
  });

  it('fails the task and terminates the run when an opted-out worker schedules an oversized activity', async () => {
    const { failure, events } = await run(await workerQueue(true), { activityInput: ERROR_LIMIT + 1024 });
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const { failed, terminated, afterFailure } = closingEvents(events);
    const message =
      'WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES: ScheduleActivityTaskCommandAttributes.Input exceeds size limit.';
    expect(failed?.cause).toBe(Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES);
    expect(failed?.failure?.message).toBe(message);
    expect(terminated).toMatchObject({ reason: message, identity: 'history-service' });
    expect(afterFailure).toHaveLength(2); // WorkflowTaskFailed, then the termination: no new task
    expect(events.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
  });

  it('terminates a run whose oversized result an opted-out worker sends, with the real server cause', async () => {
    const { events } = await run(await workerQueue(true), { workflowResult: ERROR_LIMIT + 1024 });
    const { failed, terminated } = closingEvents(events);
    expect(failed?.cause).toBe(Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES);
    expect(terminated?.reason).toContain('CompleteWorkflowExecutionCommandAttributes.Result exceeds size limit.');
  });

  it('accepts payloads over the warn limit but under the error limit', async () => {
    const { failure } = await run(await workerQueue(), { activityInput: 4096, workflowResult: 4096 });
    expect(failure).toBeUndefined();
  });

  it('fails an activity whose result is over the limit, without retrying it', async () => {
    const { failure, events } = await run(await workerQueue(true), { activityResult: ERROR_LIMIT + 1024 });
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toBeInstanceOf(ActivityFailure);
    const failed = events.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes;
    expect(failed?.failure?.message).toBe('Complete result exceeds size limit.');
    expect(failed?.failure?.serverFailureInfo?.nonRetryable).toBe(true);
    expect(failed?.retryState).toBe(temporal.api.enums.v1.RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
  });

  it('refuses a start, a signal or a memo over the limits', async () => {
    const taskQueue = `limits-idle-${randomUUID()}`;
    const big = 'x'.repeat(ERROR_LIMIT + 1024);
    const start = (options: object) =>
      client.workflow.start('payloadSizeWorkflow', { taskQueue, workflowId: `limits-${randomUUID()}`, ...options });
    const refusal = (call: Promise<unknown>) =>
      call.then(
        () => undefined,
        (err: { cause?: { code?: number; details?: string } }) => ({
          code: err.cause?.code,
          details: err.cause?.details,
        }),
      );
    const invalid = (details: string) => ({ code: 3, details }); // INVALID_ARGUMENT
    expect(await refusal(start({ args: [{ note: big }] }))).toEqual(invalid('Blob data size exceeds limit.'));
    expect(await refusal(start({ args: [{}], memo: { note: 'm'.repeat(5000) } }))).toEqual(
      invalid('Memo size exceeds limit.'),
    );
    const handle = await start({ args: [{}] });
    expect(await refusal(handle.signal('anything', big))).toEqual(invalid('Blob data size exceeds limit.'));
    await handle.terminate();
  });

  it('reads the limits from --dynamic-config-value settings, reporting the ones it does not have', () => {
    const { options, ignored } = dynamicConfigOptions([
      'limit.blobSize.error=10240',
      'limit.blobSize.warn=2048',
      'frontend.enableUpdateWorkflowExecution=true',
    ]);
    expect(options.payloadLimits).toEqual({ blobSizeError: 10240, blobSizeWarn: 2048 });
    expect(ignored).toEqual(['frontend.enableUpdateWorkflowExecution']);
    expect(() => dynamicConfigOptions(['limit.memoSize.error=lots'])).toThrow('must be a whole number');
    expect(() => dynamicConfigOptions(['limit.blobSize.error'])).toThrow('is not KEY=VALUE');
  });
});
