import { randomUUID } from 'node:crypto';
import { HTTPException } from 'hono/http-exception';
import { buildLogLines, builds, services } from '../../db/schema';
import { webhookBuildWorkflowId } from '../../workflows/names';
import { startBuildWorkflow } from '../builds/start-build';
import type { AppDeps } from '../deps';
import type { BuildCandidate, DeliveryIntent, SkipReason } from './delivery-event';
import { decideForService } from './decide';
import type { WebhookService } from './find-services';
import { deliveryIdOf, eventOf, type IncomingDelivery } from './read-delivery';
import { and, eq, isNull } from 'drizzle-orm';

/** What happened for one service of a verified delivery. */
export interface ServiceOutcome {
  serviceId: string;
  serviceName: string;
  build?: { buildId: string; workflowId: string; status: string; duplicate: boolean };
  skip?: { reason: SkipReason; message: string };
  error?: string;
}

/** Decides and, where due, starts one build per service; the delivery id makes the workflow id. */
export async function startServiceBuilds(
  deps: AppDeps,
  delivery: IncomingDelivery,
  intent: Extract<DeliveryIntent, { kind: 'build' | 'skip' }>,
  services: WebhookService[],
  projectId?: string,
): Promise<ServiceOutcome[]> {
  return Promise.all(
    services.map(async (service): Promise<ServiceOutcome> => {
      const base = { serviceId: service.id, serviceName: service.name };
      await rememberProjectId(deps, service, projectId);
      const decision = decideForService(intent, service);
      if (decision.kind === 'skip') return { ...base, skip: { reason: decision.reason, message: decision.message } };
      try {
        return { ...base, build: await startOne(deps, delivery, service, decision.candidate) };
      } catch (error) {
        if (error instanceof HTTPException) return { ...base, error: error.message };
        throw error;
      }
    }),
  );
}

async function startOne(deps: AppDeps, delivery: IncomingDelivery, service: WebhookService, candidate: BuildCandidate) {
  const deliveryId = deliveryIdOf(delivery);
  const workflowId = webhookBuildWorkflowId(delivery.provider, deliveryId, service.id);
  const [inserted] = await deps.db
    .insert(builds)
    .values({
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
      sha: candidate.sha,
      commitMessage: candidate.commitMessage?.trim() ?? null,
      commitAuthor: candidate.commitAuthor ?? null,
      workflowId,
    })
    // A concurrent or repeated delivery inserts nothing and continues with the first one's row.
    .onConflictDoNothing({ target: builds.workflowId })
    .returning();
  const build = inserted ?? (await deps.db.select().from(builds).where(eq(builds.workflowId, workflowId)))[0]!;
  const text = `Triggered by Webhook (${delivery.provider} ${eventOf(delivery)}, ${candidate.ref} @ ${candidate.sha.slice(0, 12)})`;
  // The first log line is written while the workflow starts: it is not needed for durability, only for display.
  const firstLine = inserted
    ? deps.db
        .insert(buildLogLines)
        .values({ buildId: build.id, seq: 0, stream: 'system', text, at: new Date() })
        .onConflictDoNothing()
        .then(
          () => undefined,
          (err: unknown) => deps.logger?.warn({ err, buildId: build.id }, 'could not write the first build log line'),
        )
    : Promise.resolve();
  await Promise.all([startBuildWorkflow(deps.temporal, build), firstLine]);
  return { buildId: build.id, workflowId, status: build.status, duplicate: !inserted };
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
