// Conformance-suite workflows: one behaviour each, exercised against the devserver (or a real server).
import {
  ActivityCancellationType,
  CancellationScope,
  ChildWorkflowFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ConformanceActivities } from './activities';

const { greet, flaky, reject } = proxyActivities<ConformanceActivities>({
  startToCloseTimeout: '5s',
  retry: { initialInterval: '50ms', backoffCoefficient: 2, maximumInterval: '200ms' },
});

/** Signals and queries used by the suite. */
export const approveSignal = defineSignal<[string]>('approve');
export const statusQuery = defineQuery<string>('status');
export const pingSignal = defineSignal('ping');

/** One activity, its result returned. */
export async function greetWorkflow(name: string): Promise<string> {
  return await greet(name);
}

/** An activity that fails until its third attempt. */
export async function retryWorkflow(key: string): Promise<number> {
  return await flaky(key, 3);
}

/** An activity that fails non-retryably; the workflow fails with it. */
export async function rejectWorkflow(key: string): Promise<never> {
  return await reject(key);
}

/** A timer that fires, and one cancelled before it fires. */
export async function timerWorkflow(ms: number): Promise<string> {
  const started = Date.now();
  await sleep(ms);
  const scope = new CancellationScope();
  const longTimer = scope.run(() => sleep('1 hour'));
  await sleep(20); // let the long timer reach the server before cancelling it
  scope.cancel();
  await longTimer.catch(() => undefined);
  return `slept ${Date.now() - started}`;
}

/** Waits for an approval signal; its status is queryable throughout. */
export async function approvalWorkflow(): Promise<string> {
  let status = 'waiting';
  let approver = '';
  setHandler(statusQuery, () => status);
  setHandler(approveSignal, (who) => {
    approver = who;
    status = 'approved';
  });
  await condition(() => approver !== '');
  await sleep(10);
  return `approved by ${approver}`;
}

/** Runs a heartbeating activity until the workflow is cancelled. */
export async function cancellableWorkflow(key: string): Promise<string> {
  const { heartbeatUntilCancelled } = proxyActivities<ConformanceActivities>({
    startToCloseTimeout: '30s',
    heartbeatTimeout: '2s',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  try {
    return await heartbeatUntilCancelled(key);
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => greet('cleanup'));
    }
    throw err;
  }
}

/** Starts `count` children in parallel and sums their results. */
export async function parentWorkflow(count: number): Promise<string[]> {
  const { workflowId } = workflowInfo();
  return await Promise.all(
    Array.from({ length: count }, (_, i) =>
      executeChild(greetWorkflow, { args: [`child ${i}`], workflowId: `${workflowId}-child-${i}` }),
    ),
  );
}

/** A child that fails; the parent reports the failure as a value. */
export async function failingChildParentWorkflow(key: string): Promise<string> {
  try {
    await executeChild(rejectWorkflow, { args: [key], workflowId: `${workflowInfo().workflowId}-child` });
    return 'child succeeded';
  } catch (err) {
    return `child failed: ${(err as Error).message}`;
  }
}

/** Sleeps a long time (terminate and timeout targets). */
export async function sleepyWorkflow(ms: number): Promise<string> {
  await sleep(ms);
  return 'woke up';
}

/** Runs one activity with the given timeouts and reports how it ended. */
export async function activityTimeoutWorkflow(
  kind: 'startToClose' | 'heartbeat' | 'scheduleToClose' | 'scheduleToStart',
  key: string,
): Promise<string> {
  const options = {
    startToClose: { startToCloseTimeout: '1s', retry: { maximumAttempts: 2, initialInterval: '50ms' } },
    heartbeat: { startToCloseTimeout: '10s', heartbeatTimeout: '1s', retry: { maximumAttempts: 1 } },
    scheduleToClose: {
      scheduleToCloseTimeout: '1500ms',
      startToCloseTimeout: '1s',
      retry: { initialInterval: '100ms' },
    },
    scheduleToStart: {
      scheduleToStartTimeout: '1s',
      startToCloseTimeout: '1s',
      taskQueue: `${workflowInfo().taskQueue}-nobody`,
    },
  }[kind];
  const { sleepFor } = proxyActivities<ConformanceActivities>(options);
  try {
    await sleepFor(key, 3000);
    return 'completed';
  } catch (err) {
    const cause = (err as { cause?: { name?: string; timeoutType?: unknown } }).cause;
    return `${cause?.name}:${String(cause?.timeoutType)}`;
  }
}

/** Counts pings; continues as new after `perRun` of them, finishing after `total`. */
export async function pingCounterWorkflow(total: number, perRun: number, seen = 0): Promise<number> {
  let pings = 0;
  setHandler(pingSignal, () => void pings++);
  await condition(() => pings >= Math.min(perRun, total - seen));
  if (seen + pings >= total) return seen + pings;
  return await continueAsNew<typeof pingCounterWorkflow>(total, perRun, seen + pings);
}

/** A workflow that continues as new `times` times and returns the count. */
export async function continueAsNewWorkflow(times: number): Promise<number> {
  if (times === 0) return workflowInfo().continuedFromExecutionRunId ? 1 : 0;
  return await continueAsNew<typeof continueAsNewWorkflow>(times - 1);
}

/** Signals and then cancels another workflow by id. */
export async function externalWorkflow(targetId: string): Promise<string> {
  const target = getExternalWorkflowHandle(targetId);
  await target.signal(approveSignal, 'external');
  await sleep(10);
  return 'signalled';
}

/** Uses patching (a marker) and search attribute upserts, then one activity. */
export async function patchedWorkflow(buildId: string): Promise<string> {
  upsertSearchAttributes({ KilnBuildId: [buildId] });
  const version = patched('new-greeting') ? 'v2' : 'v1';
  return `${version}: ${await greet(buildId)}`;
}

/** Fails the workflow directly with an ApplicationFailure. */
export async function failingWorkflow(): Promise<never> {
  throw ApplicationFailure.nonRetryable('the build definition is invalid', 'InvalidBuild');
}

/** Starts a long-sleeping child (default parent-close policy TERMINATE) and sleeps. */
export async function sleepyParentWorkflow(childId: string): Promise<string> {
  await executeChild(sleepyWorkflow, { args: [60_000], workflowId: childId });
  return 'child finished';
}

/** Starts a child that waits for approval, then cancels it; reports how the child ended. */
export async function cancelChildWorkflow(): Promise<string> {
  const scope = new CancellationScope();
  const child = await scope.run(() =>
    startChild(approvalWorkflow, { workflowId: `${workflowInfo().workflowId}-child` }),
  );
  scope.cancel();
  try {
    await child.result();
    return 'child completed';
  } catch (err) {
    return isCancellation(err) ? 'child cancelled' : `child failed: ${(err as Error).message}`;
  }
}

/** Waits for an activity that a client completes asynchronously. */
export async function asyncCompletionWorkflow(key: string): Promise<string> {
  const { completeLater } = proxyActivities<ConformanceActivities>({ startToCloseTimeout: '30s' });
  return await completeLater(key);
}

/** Fails its first `failures` attempts (workflow-level retry policy), then returns its attempt number. */
export async function retriedWorkflow(failures: number): Promise<number> {
  const { attempt } = workflowInfo();
  if (attempt <= failures) throw ApplicationFailure.retryable(`attempt ${attempt} failed`, 'Transient');
  return attempt;
}

/** Runs an activity that resumes from its previous attempt's heartbeat. */
export async function heartbeatResumeWorkflow(key: string): Promise<string> {
  const { resumeFromHeartbeat } = proxyActivities<ConformanceActivities>({
    startToCloseTimeout: '10s',
    heartbeatTimeout: '5s',
    retry: { initialInterval: '50ms' },
  });
  return await resumeFromHeartbeat(key);
}

/** What workflowInfo() said about the history after each step of historyGrowthWorkflow. */
export interface HistoryGrowth {
  lengths: number[];
  sizes: number[];
  suggested: boolean[];
}

/** Runs `steps` activities and records history length, size and the continue-as-new suggestion after each. */
export async function historyGrowthWorkflow(steps: number): Promise<HistoryGrowth> {
  const growth: HistoryGrowth = { lengths: [], sizes: [], suggested: [] };
  for (let i = 0; i < steps; i++) {
    await greet(`step ${i}`);
    const info = workflowInfo();
    growth.lengths.push(info.historyLength);
    growth.sizes.push(info.historySize);
    growth.suggested.push(info.continueAsNewSuggested);
  }
  return growth;
}

/** What a run of the root chain saw in workflowInfo(): its root (undefined for a root) and its priority key. */
export interface RootReport {
  workflowId: string;
  root: { workflowId: string; runId: string } | undefined;
  priorityKey: number | undefined;
}

/** Starts a child chain `depth` deep and reports each run's root and priority, outermost first. */
export async function rootChainWorkflow(depth: number): Promise<RootReport[]> {
  const info = workflowInfo();
  const root = info.root ? { workflowId: info.root.workflowId, runId: info.root.runId } : undefined;
  const own: RootReport = { workflowId: info.workflowId, root, priorityKey: info.priority?.priorityKey };
  if (depth === 0) return [own];
  const below = await executeChild(rootChainWorkflow, {
    args: [depth - 1],
    workflowId: `${info.workflowId}-child`,
    staticSummary: 'the child',
    staticDetails: 'what the child does',
    priority: { priorityKey: 3 },
  });
  return [own, ...below];
}

/** A timer and an activity, each with a summary, then a child chain two deep. */
export async function metadataWorkflow(): Promise<RootReport[]> {
  await sleep(10, { summary: 'a short nap' });
  const { greet: summarizedGreet } = proxyActivities<ConformanceActivities>({
    startToCloseTimeout: '5s',
    summary: 'say hello',
  });
  await summarizedGreet('metadata');
  return await rootChainWorkflow(2);
}

/** How a child that outlives its execution timeout ended, as the parent sees it. */
export async function timedOutChildWorkflow(): Promise<{ retryState: string | undefined; cause: string | undefined }> {
  try {
    await executeChild(sleepyWorkflow, {
      args: [60_000],
      workflowId: `${workflowInfo().workflowId}-child`,
      workflowExecutionTimeout: '300ms',
      retry: { maximumAttempts: 1 },
    });
    return { retryState: 'completed', cause: undefined };
  } catch (err) {
    if (!(err instanceof ChildWorkflowFailure)) throw err;
    return { retryState: err.retryState, cause: err.cause?.name };
  }
}
