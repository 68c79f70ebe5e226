import type { BuildCandidate, DeliveryIntent, SkipReason } from './delivery-event';
import { wantsSkipCi } from './delivery-event';
import { matchesBranchFilter } from './branch-filter';
import type { WebhookService } from './find-services';

export type ServiceDecision =
  { kind: 'build'; candidate: BuildCandidate } | { kind: 'skip'; reason: SkipReason; message: string };

/** Applies one service's Auto CI settings to what a verified delivery asks for. */
export function decideForService(
  intent: Extract<DeliveryIntent, { kind: 'build' | 'skip' }>,
  service: WebhookService,
): ServiceDecision {
  if (intent.kind === 'skip') return intent;
  const settings = service.settings;
  if (!settings?.enabled) {
    return {
      kind: 'skip',
      reason: 'auto_ci_disabled',
      message: `Auto CI is disabled for ${service.name}; enable it in the service's Auto CI settings.`,
    };
  }
  const { candidate } = intent;
  if (candidate.mergeRequest?.fromFork && !settings.buildForkMergeRequests) {
    return {
      kind: 'skip',
      reason: 'fork_merge_request',
      message:
        `Merge request !${candidate.mergeRequest.iid} comes from a fork, so its code is not trusted and was not built. ` +
        `To build such merge requests, enable "Build merge requests from forks" in the Auto CI settings of ${service.name} ` +
        '(fork builds get no secret build args and are never deployed).',
    };
  }
  if (candidate.filterBranch !== undefined && !matchesBranchFilter(settings.branchFilter, candidate.filterBranch)) {
    return {
      kind: 'skip',
      reason: 'branch_not_in_filter',
      message: `Branch ${candidate.filterBranch} does not match the branch filter of ${service.name} (${settings.branchFilter.join(', ')}).`,
    };
  }
  if (wantsSkipCi(candidate.commitMessage)) {
    return { kind: 'skip', reason: 'skip_ci', message: `Commit ${candidate.sha.slice(0, 8)} is marked [skip ci].` };
  }
  return intent;
}
