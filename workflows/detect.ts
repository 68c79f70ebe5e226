import { proxyActivities } from '@temporalio/workflow';
import type { DetectServiceActivities, ServiceDetection } from '../activities/detect-service';
import { nonRetryableBuildErrors } from '../domain/build-error';

const { detectService } = proxyActivities<DetectServiceActivities>({
  startToCloseTimeout: '3 minutes',
  retry: { maximumAttempts: 2, nonRetryableErrorTypes: [...nonRetryableBuildErrors] },
});

/** "Detect Services": runs on a worker, which has git and the workspace, so the API process never clones. */
export async function detectServiceWorkflow(input: { serviceId: string; branch?: string }): Promise<ServiceDetection> {
  return detectService(input);
}
