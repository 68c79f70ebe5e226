import { proxyActivities } from '@temporalio/workflow';
import type {
  BuildWizardActivities,
  ChangeRequestInput,
  ChangeRequestResult,
  ProposeInput,
  ServiceProposal,
} from '../activities/build-wizard';
import { nonRetryableBuildErrors } from '../domain/build-error';

const nonRetryableErrorTypes = [...nonRetryableBuildErrors];
const { proposeServiceDockerfile } = proxyActivities<BuildWizardActivities>({
  startToCloseTimeout: '3 minutes',
  retry: { maximumAttempts: 2, nonRetryableErrorTypes },
});
// Each provider call is idempotent (the open request is looked up first), so a retry after a passing error is safe.
const { openWizardChangeRequest } = proxyActivities<BuildWizardActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3, initialInterval: '2 seconds', nonRetryableErrorTypes },
});

/** The Build Wizard's proposal: clone and detection run on a worker, which has git; the API process never clones. */
export async function proposeDockerfileWorkflow(input: ProposeInput): Promise<ServiceProposal> {
  return proposeServiceDockerfile(input);
}

/** "Open a merge request / pull request": waits on the provider, so it runs here rather than in the HTTP request. */
export async function openWizardChangeRequestWorkflow(input: ChangeRequestInput): Promise<ChangeRequestResult> {
  return openWizardChangeRequest(input);
}
