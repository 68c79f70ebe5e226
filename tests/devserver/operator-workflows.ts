// Workflows for the operator, reset and activity pause suites: search attributes seen from inside a workflow,
// a signal-driven counter to reset, a parent with a child to reset, and an activity that reports how it was
// cancelled.
import type { ActivityCancellationDetails, SearchAttributes, SearchAttributeUpdatePair } from '@temporalio/common';
import {
  condition,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { OperatorActivities, PauseScenario } from './operator-activities';

/** What a workflow sees of its search attributes (typed pairs as their JSON form). */
export interface SeenAttributes {
  searchAttributes: SearchAttributes;
  typed: unknown;
}

export const finishSignal = defineSignal('finish');
export const addSignal = defineSignal<[number]>('add');
export const upsertSignal = defineSignal<[SearchAttributeUpdatePair[]]>('upsert');
export const seenQuery = defineQuery<SeenAttributes>('seen');
export const stepsQuery = defineQuery<string[]>('steps');

/** Waits for `finish`; answers what workflowInfo() holds and upserts what `upsert` sends. */
export async function searchAttributesWorkflow(): Promise<void> {
  let finished = false;
  setHandler(seenQuery, () => ({
    searchAttributes: workflowInfo().searchAttributes,
    typed: workflowInfo().typedSearchAttributes,
  }));
  setHandler(upsertSignal, (pairs) => upsertSearchAttributes(pairs));
  setHandler(finishSignal, () => void (finished = true));
  await condition(() => finished);
}

const { note } = proxyActivities<OperatorActivities>({ startToCloseTimeout: '5s' });

/** Runs an activity, sleeps, sums `add` signals until `finish`; its steps record a random id per stage. */
export async function resetCounterWorkflow(): Promise<{ total: number; steps: string[] }> {
  let total = 0;
  let finished = false;
  const steps: string[] = [`start ${uuid4()}`];
  setHandler(addSignal, (n) => void (total += n));
  setHandler(finishSignal, () => void (finished = true));
  setHandler(stepsQuery, () => steps);
  steps.push(await note('noted'));
  await sleep(10);
  steps.push(`slept ${uuid4()}`);
  await condition(() => finished);
  return { total, steps };
}

const pausableOptions = {
  startToCloseTimeout: '20s',
  heartbeatTimeout: '2s',
  retry: { maximumAttempts: 2, initialInterval: '100ms' },
} as const;

/** One pausable activity (at most two attempts, on the scenario's queue if it names one), its result returned. */
export async function pausableActivityWorkflow(
  scenario: PauseScenario,
): Promise<ActivityCancellationDetails | string | undefined> {
  const { pausable } = proxyActivities<OperatorActivities>({
    ...pausableOptions,
    // A held attempt sends its first heartbeat only when the test lets it.
    ...(scenario.held ? { heartbeatTimeout: '30s' } : {}),
    taskQueue: scenario.activityQueue,
  });
  return await pausable(scenario);
}

/** Waits for `finish`, then answers who it is. */
export async function resetChildWorkflow(): Promise<string> {
  let finished = false;
  setHandler(finishSignal, () => void (finished = true));
  await condition(() => finished);
  return `child ${workflowInfo().workflowId} done`;
}

/** Starts `childId`, waits for `finish`, then returns the child's result. */
export async function resetParentWorkflow(childId: string): Promise<string> {
  let finished = false;
  setHandler(finishSignal, () => void (finished = true));
  const child = await startChild(resetChildWorkflow, { workflowId: childId });
  await condition(() => finished);
  return await child.result();
}
