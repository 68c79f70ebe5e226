// The workflow the devserver bench runs: start → one activity → result.
import { proxyActivities } from '@temporalio/workflow';

const { echo } = proxyActivities<{ echo(value: string): Promise<string> }>({ startToCloseTimeout: '10s' });

/** One activity round trip. */
export async function benchWorkflow(value: string): Promise<string> {
  return await echo(value);
}
