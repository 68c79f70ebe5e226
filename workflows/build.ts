import { CancellationScope, isCancellation, proxyActivities, setHandler } from '@temporalio/workflow';
import type { AcknowledgeActivities } from '../activities/acknowledge';
import { cancelBuildSignal, progressQuery } from './messages';
import type { BuildProgress } from './messages';

/** What a build workflow is started with: everything else is loaded from the database by id. */
export interface BuildWorkflowInput {
  buildId: string;
}

export interface BuildWorkflowResult {
  buildId: string;
  status: BuildProgress['status'];
}

const { acknowledgeBuild } = proxyActivities<AcknowledgeActivities>({ startToCloseTimeout: '30 seconds' });

/**
 * Placeholder build: acknowledges the build and succeeds. It already answers the progress query and the cancel
 * signal the real pipeline will, so the API and UI can be built against it.
 */
export async function buildWorkflow(input: BuildWorkflowInput): Promise<BuildWorkflowResult> {
  let progress: BuildProgress = { status: 'Pending', step: 'Queued', percent: 0 };
  const work = new CancellationScope();
  setHandler(progressQuery, () => progress);
  setHandler(cancelBuildSignal, () => work.cancel());
  try {
    progress = { status: 'Building', step: 'Build', percent: 50 };
    await work.run(() => acknowledgeBuild(input));
    progress = { status: 'Succeeded', step: 'Done', percent: 100 };
  } catch (err) {
    if (!isCancellation(err)) throw err;
    progress = { ...progress, status: 'Cancelled' };
  }
  return { buildId: input.buildId, status: progress.status };
}
