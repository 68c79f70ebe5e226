import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { HTTPException } from 'hono/http-exception';
import { services, type BuildRow } from '../../db/schema';
import { recordBuild } from '../../db/builds';
import { webhookBuildWorkflowId } from '../../workflows/names';
import { startBuildWorkflow } from '../builds/start-build';
import type { AppDeps } from '../deps';
import type { BuildCandidate, DeliveryIntent, SkipReason } from './delivery-event';
import { decideForService } from './decide';
import type { DeliveryIdentity } from './delivery-key';
import type { WebhookService } from './find-services';
import { eventOf, type IncomingDelivery } from './read-delivery';

/** A service the delivery is verified for, with the delivery's identity as that service's secret vouches for it. */
export type BuildTarget = DeliveryIdentity & { service: WebhookService };

/** What a verified delivery means for one service. */
export interface ServiceOutcome {
  serviceId: string;
  serviceName: string;
  build?: { buildId: string; workflowId: string; status: string; duplicate: boolean };
  skip?: { reason: SkipReason; message: string };
}

/** Build rows recorded for a delivery whose workflows still have to be started. */
export interface PendingStart {
  row: BuildRow;
  /** True when this delivery inserted the row (a duplicate reuses the first delivery's row). */
  inserted: boolean;
}

/**
 * Decides per service and records one build row for each service that builds. The workflow id comes from the
 * delivery's build key, so concurrent, repeated or replayed deliveries share one row; `startPendingBuilds` then
 * starts them.
 */
export async function recordServiceBuilds(
  deps: AppDeps,
  delivery: IncomingDelivery,
  intent: Extract<DeliveryIntent, { kind: 'build' | 'skip' }>,
  targets: BuildTarget[],
  projectId?: string,
): Promise<{ outcomes: ServiceOutcome[]; pending: PendingStart[] }> {
  const pending: PendingStart[] = [];
  const outcomes = await Promise.all(
    targets.map(async (target): Promise<ServiceOutcome> => {
      const { service } = target;
      const base = { serviceId: service.id, serviceName: service.name };
      await rememberProjectId(deps, service, projectId);
      const decision = decideForService(intent, service);
      if (decision.kind === 'skip') return { ...base, skip: { reason: decision.reason, message: decision.message } };
      const start = await recordOne(deps, delivery, target, decision.candidate);
      pending.push(start);
      const { row } = start;
      return {
        ...base,
        build: { buildId: row.id, workflowId: row.workflowId, status: row.status, duplicate: !start.inserted },
      };
    }),
  );
  return { outcomes, pending };
}

/** Starts the workflows of recorded builds; returns why one could not be started, or undefined when all run. Never throws. */
export async function startPendingBuilds(deps: AppDeps, pending: PendingStart[]): Promise<string | undefined> {
  const results = await Promise.all(
    pending.map(async ({ row }) => {
      try {
        await startBuildWorkflow(deps.temporal, row);
        return undefined;
      } catch (error) {
        if (error instanceof HTTPException) return error.message;
        return `Build ${row.id} is recorded but could not be started (${(error as Error).message}); redeliver the webhook.`;
      }
    }),
  );
  return results.find((message) => message !== undefined);
}

async function recordOne(
  deps: AppDeps,
  delivery: IncomingDelivery,
  { service, deliveryId, buildKey }: BuildTarget,
  candidate: BuildCandidate,
): Promise<PendingStart> {
  const workflowId = webhookBuildWorkflowId(delivery.provider, buildKey, service.id);
  const text = `Triggered by Webhook (${delivery.provider} ${eventOf(delivery)}, ${candidate.ref} @ ${candidate.sha.slice(0, 12)})`;
  // A concurrent or repeated delivery records nothing and continues with the first one's row.
  const { build, inserted } = await recordBuild(
    deps.db,
    {
      id: randomUUID(),
      serviceId: service.id,
      organizationId: service.organizationId,
      trigger: 'webhook',
      event: candidate.event,
      provider: delivery.provider,
      deliveryId,
      ref: candidate.ref,
      branch: candidate.branch ?? null,
      tag: candidate.tag ?? null,
      mergeRequestIid: candidate.change?.kind === 'merge_request' ? candidate.change.number : null,
      pullRequestNumber: candidate.change?.kind === 'pull_request' ? candidate.change.number : null,
      sha: candidate.sha,
      commitMessage: candidate.commitMessage?.trim() ?? null,
      commitAuthor: candidate.commitAuthor ?? null,
      changedPaths: candidate.changedPaths ?? null,
      workflowId,
    },
    text,
  );
  return { row: build, inserted };
}

// Services registered by path learn the provider's numeric id from their first verified delivery, so they
// keep receiving webhooks after the repository is renamed or moved.
async function rememberProjectId(deps: AppDeps, service: WebhookService, projectId: string | undefined) {
  if (service.projectId || !projectId) return;
  await deps.db
    .update(services)
    .set({ projectId })
    .where(and(eq(services.id, service.id), isNull(services.projectId)));
}
