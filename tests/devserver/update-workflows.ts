// Workflows for the update and eager-execution suites (tests/devserver/updates.test.ts, eager.test.ts).
import {
  ApplicationFailure,
  condition,
  defineSignal,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import { HandlerUnfinishedPolicy } from '@temporalio/common';
import type { UpdateActivities } from './update-activities';

/** Appends its argument to the workflow's list and returns the list; the validator refuses 'bad'. */
export const addUpdate = defineUpdate<string[], [string]>('add');
/** Ends the workflow. */
export const finishSignal = defineSignal('finish');
/** Lets a waiting update handler return. */
export const releaseSignal = defineSignal('release');
/** Waits for releaseSignal, then returns 'released'. */
export const waitUpdate = defineUpdate<string, []>('wait');
/** Runs a local activity for `ms` while its workflow task stays started. */
export const busySignal = defineSignal<[number]>('busy');
/** Returns the activity's answer: the update spans several workflow tasks. */
export const activityUpdate = defineUpdate<string, [string]>('viaActivity');

const { whoAnswers } = proxyActivities<UpdateActivities>({ startToCloseTimeout: '10s' });
const { pause } = proxyLocalActivities<UpdateActivities>({ startToCloseTimeout: '10s' });

/** Collects update arguments until finishSignal; returns them. */
export async function updatableWorkflow(): Promise<string[]> {
  const items: string[] = [];
  let finished = false;
  let released = false;
  setHandler(
    addUpdate,
    (item) => {
      items.push(item);
      return items;
    },
    {
      validator: (item) => {
        if (item === 'bad') throw ApplicationFailure.nonRetryable('Validation failed: bad is not allowed', 'BadItem');
      },
    },
  );
  // One test lets the workflow finish under it on purpose; abandoning it is expected there.
  setHandler(
    waitUpdate,
    async () => {
      await condition(() => released);
      return 'released';
    },
    { unfinishedPolicy: HandlerUnfinishedPolicy.ABANDON },
  );
  setHandler(activityUpdate, async (name) => `${name}: ${await whoAnswers()}`);
  setHandler(busySignal, async (ms) => {
    await pause(ms);
  });
  setHandler(releaseSignal, () => void (released = true));
  setHandler(finishSignal, () => void (finished = true));
  await condition(() => finished);
  return items;
}

/** Returns at once (eager start). */
export async function helloWorkflow(name: string): Promise<string> {
  return `Hello, ${name}!`;
}

/** Runs `times` activities one after another and returns who ran each (eager activity dispatch). */
export async function eagerActivitiesWorkflow(times: number): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < times; i++) answers.push(await whoAnswers());
  return answers;
}
