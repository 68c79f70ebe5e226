// Workflows for the payload size limit suite: each sends a payload of a chosen size where the server measures it.
import { proxyActivities } from '@temporalio/workflow';

/** The activity the workflows call. */
export interface LimitActivities {
  /** Returns `resultBytes` characters, whatever it was given. */
  sized(input: string, resultBytes: number): Promise<string>;
}

const { sized } = proxyActivities<LimitActivities>({ startToCloseTimeout: '10s', retry: { maximumAttempts: 3 } });

/** How large each payload of the run is, in characters. */
export interface PayloadSizes {
  activityInput?: number;
  activityResult?: number;
  workflowResult?: number;
}

/** Calls one activity with an input of the given size, then returns a result of the given size. */
export async function payloadSizeWorkflow(sizes: PayloadSizes): Promise<string> {
  const echoed = await sized('x'.repeat(sizes.activityInput ?? 0), sizes.activityResult ?? 0);
  return 'y'.repeat(sizes.workflowResult ?? 0) + echoed.slice(0, 0);
}
