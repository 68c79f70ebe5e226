import type { BuildCandidate, DeliveryIntent, SkipReason } from './delivery-event';
import { wantsSkipCi } from './delivery-event';
import { matchesBranchFilter } from './branch-filter';
import type { WebhookService } from './find-services';

/** What a delivery means for one service: a build, or a skip with its reason. */
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
  const untrusted = changeSkip(candidate, service);
  if (untrusted) return untrusted;
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

// Fork merge/pull requests need the (admin-only) fork setting; GitHub drafts need the draft setting.
function changeSkip(candidate: BuildCandidate, service: WebhookService): ServiceDecision | undefined {
  const { change } = candidate;
  const settings = service.settings;
  if (!change || !settings) return undefined;
  const named = change.kind === 'pull_request' ? `Pull request #${change.number}` : `Merge request !${change.number}`;
  if (change.fromFork && !settings.buildForkMergeRequests) {
    return {
      kind: 'skip',
      reason: change.kind === 'pull_request' ? 'fork_pull_request' : 'fork_merge_request',
      message:
        `${named} comes from a fork, so its code is not trusted and was not built. ` +
        `To build such ${change.kind === 'pull_request' ? 'pull' : 'merge'} requests, an organization admin enables ` +
        `"Build merge requests and pull requests from forks" in the Auto CI settings of ${service.name} ` +
        '(fork builds get no secret build args and are never deployed).',
    };
  }
  if (change.draft && !settings.buildDraftPullRequests) {
    return {
      kind: 'skip',
      reason: 'draft_pull_request',
      message:
        `${named} is a draft: not built. It builds when marked ready for review, or enable ` +
        `"Build draft pull requests" in the Auto CI settings of ${service.name}.`,
    };
  }
  return undefined;
}
