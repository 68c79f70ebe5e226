import type { AppDeps } from '../deps';
import { redeliveryIdentity } from './delivery-key';
import { evaluateDelivery, type Evaluation } from './evaluate-delivery';
import type { WebhookService } from './find-services';
import { deliveryIdOf, eventOf, type IncomingDelivery } from './read-delivery';
import { recordDelivery, updateDeliveryOutcome } from './record-delivery';
import { createRejectionRecorder, type RejectionRecorder } from './rejections';
import { startPendingBuilds } from './start-service-builds';
import type { WebhookResult } from './webhooks.schemas';

/** The HTTP answer to a delivery, plus the delivery record ids written for it. */
export interface IntakeResult {
  status: Evaluation['status'];
  body: WebhookResult;
  recordIds: string[];
}

/** Verifies, records and acts on webhook deliveries; a 200 means every build it reports is durably started. */
export function createWebhookIntake(deps: AppDeps) {
  const rejections = createRejectionRecorder(deps.db, () => deps.clock?.() ?? new Date(), deps.logger);

  /** A delivery from GitLab/GitHub: authenticated with the secret of the service(s) it names. */
  async function receive(delivery: IncomingDelivery): Promise<IntakeResult> {
    const started = performance.now();
    return finish(deps, rejections, { delivery, started, evaluation: await evaluateDelivery(deps, delivery) });
  }

  /** An admin's redelivery of a stored delivery to one service: already authenticated, same delivery id. */
  async function redeliver(
    delivery: IncomingDelivery,
    service: WebhookService,
    original: { id: string; deliveryId: string | null },
  ) {
    const started = performance.now();
    const target = { service, ...redeliveryIdentity(delivery, original.deliveryId) };
    const evaluation = await evaluateDelivery(deps, delivery, target);
    return finish(deps, rejections, { delivery, started, evaluation, redeliveryOf: original.id });
  }

  return { receive, redeliver };
}

interface Evaluated {
  delivery: IncomingDelivery;
  /** `performance.now()` when the delivery arrived. */
  started: number;
  evaluation: Evaluation;
  /** The stored delivery this one redelivers. */
  redeliveryOf?: string;
}

// The delivery record is written while the workflows start (both must finish before the answer); when a start
// fails the record is corrected to the 503 the provider receives. Unauthenticated deliveries go to the
// bounded rejection record instead, never into a service's history.
async function finish(
  deps: AppDeps,
  rejections: RejectionRecorder,
  { delivery, started, evaluation, redeliveryOf }: Evaluated,
): Promise<IntakeResult> {
  if (evaluation.rejection && redeliveryOf === undefined) {
    await rejections.record(delivery, evaluation.rejection);
    return { status: evaluation.status, body: evaluation.body, recordIds: [] };
  }
  const record = recordDelivery(deps.db, {
    delivery,
    event: eventOf(delivery),
    deliveryId: evaluation.deliveryId ?? deliveryIdOf(delivery),
    statusCode: evaluation.status,
    response: evaluation.body,
    services: evaluation.services,
    keepPayload: evaluation.deliveryId !== undefined,
    redeliveryOf,
    durationMs: Math.round(performance.now() - started),
  });
  const [recordIds, failure] = await Promise.all([record, startPendingBuilds(deps, evaluation.pending ?? [])]);
  if (!failure) return { status: evaluation.status, body: evaluation.body, recordIds };
  const body = { message: failure, builds: evaluation.body.builds };
  await updateDeliveryOutcome(deps.db, recordIds, { statusCode: 503, response: body });
  return { status: 503 as const, body, recordIds };
}
