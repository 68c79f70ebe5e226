import { WorkflowNotFoundError } from '@temporalio/client';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { builds } from '../../db/schema';
import { cancelBuildSignal } from '../../workflows/messages';
import type { AppDeps } from '../deps';
import type { DeliveryIntent } from './delivery-event';
import type { BuildTarget } from './start-service-builds';
import type { WebhookResult } from './webhooks.schemas';
import { activeBuildStatuses } from '../../domain/build-status';

type CloseIntent = Extract<DeliveryIntent, { kind: 'close' }>;

/** A build a closed merge or pull request cancelled. */
export interface CancelledBuild {
  serviceId: string;
  service: string;
  buildId: string;
}

/** The answer to a close delivery: 200 with what was cancelled, or 503 when Temporal could not be told. */
export interface CloseOutcome {
  status: 200 | 503;
  body: WebhookResult;
  services: { serviceId: string }[];
}

/**
 * A merge request closed or merged, or a pull request closed: signals cancel (as `POST /builds/{id}/cancel` does)
 * to every running build of that change in each verified service, whatever the service's Auto CI settings say.
 */
export async function cancelClosedChange(
  deps: AppDeps,
  intent: CloseIntent,
  targets: BuildTarget[],
): Promise<CloseOutcome> {
  const cancelled: CancelledBuild[] = [];
  const failures: string[] = [];
  for (const { service } of targets) {
    for (const build of await runningBuildsOf(deps, service.id, intent.change)) {
      try {
        await deps.temporal.workflow.getHandle(build.workflowId).signal(cancelBuildSignal, intent.message);
        cancelled.push({ serviceId: service.id, service: service.name, buildId: build.id });
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) {
          // Ended (its final status is written) or never started: a recorded build the reconciler would start
          // later is ended here instead, so a closed change never builds.
          if (await endUnstartedBuild(deps, build.id, intent.message))
            cancelled.push({ serviceId: service.id, service: service.name, buildId: build.id });
          continue;
        }
        failures.push(`could not reach Temporal to cancel build ${build.id} (${(error as Error).message})`);
      }
    }
  }
  const reason = intent.change.kind === 'pull_request' ? 'pull_request_closed' : 'merge_request_closed';
  const services = targets.map((t) => ({ serviceId: t.service.id }));
  if (failures.length > 0) {
    const message = `${intent.message}, but Kiln ${failures.join('; ')}; redeliver the webhook or cancel the build.`;
    return { status: 503, body: { message, reason, cancelled, builds: [], skipped: [] }, services };
  }
  return {
    status: 200,
    body: { message: describe(intent.message, cancelled), reason, cancelled, builds: [], skipped: [] },
    services,
  };
}

function describe(what: string, cancelled: CancelledBuild[]): string {
  if (cancelled.length === 0) return `${what}: no running build to cancel.`;
  const plural = cancelled.length === 1 ? 'build' : 'builds';
  return `${what}: cancelled ${cancelled.length} running ${plural} (${cancelled.map((c) => c.buildId).join(', ')}).`;
}

async function endUnstartedBuild(deps: AppDeps, buildId: string, reason: string): Promise<boolean> {
  const ended = await deps.db
    .update(builds)
    .set({ status: 'Cancelled', error: reason, errorType: 'Cancelled', finishedAt: deps.clock?.() ?? new Date() })
    .where(and(eq(builds.id, buildId), inArray(builds.status, [...activeBuildStatuses])))
    .returning({ id: builds.id });
  return ended.length > 0;
}

// Top-level builds only: a monorepo parent cancels its own sub-project builds.
async function runningBuildsOf(deps: AppDeps, serviceId: string, change: CloseIntent['change']) {
  const sameChange =
    change.kind === 'pull_request'
      ? eq(builds.pullRequestNumber, change.number)
      : eq(builds.mergeRequestIid, change.number);
  return deps.db
    .select({ id: builds.id, workflowId: builds.workflowId })
    .from(builds)
    .where(
      and(
        eq(builds.serviceId, serviceId),
        sameChange,
        isNull(builds.parentBuildId),
        inArray(builds.status, [...activeBuildStatuses]),
      ),
    );
}
