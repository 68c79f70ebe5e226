import { ZodError } from 'zod';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from '../deps';
import { authenticatedServices } from './authenticate';
import { cancelClosedChange } from './cancel-closed-change';
import type { DeliveryIntent, ParsedDelivery } from './delivery-event';
import { deliveryIdentity } from './delivery-key';
import { findServicesForProject } from './find-services';
import { parseGithubDelivery } from './github-payload';
import { parseGitlabDelivery } from './gitlab-payload';
import { bodyBytes, decodePayload, eventOf, MAX_WEBHOOK_BYTES, type IncomingDelivery } from './read-delivery';
import type { Rejection, RejectionReason } from './rejections';
import { recordServiceBuilds, type BuildTarget, type PendingStart, type ServiceOutcome } from './start-service-builds';
import type { WebhookResult } from './webhooks.schemas';

/** How a delivery is answered and recorded, decided before anything is written. */
export interface Evaluation {
  status: 400 | 401 | 413 | 200 | 503;
  body: WebhookResult;
  services: { serviceId?: string; buildId?: string }[];
  /** Set when a service's secret vouched for the delivery: only then is it kept in that service's history. */
  deliveryId?: string;
  /** Why an unauthenticated delivery was refused, for the bounded rejection record. */
  rejection?: Rejection;
  /** Recorded builds whose workflows start while the delivery is being recorded. */
  pending?: PendingStart[];
}

/** The one answer for an unknown repository and a wrong secret, so a caller learns nothing about either. */
export const UNAUTHENTICATED_MESSAGE =
  'No Kiln service accepts this delivery: the repository is not registered or the secret token / signature is ' +
  'wrong. Copy the Secret token (or signing token) from the service’s webhook settings in Kiln.';
const STALE_MESSAGE = 'Signature timestamp is more than 5 minutes away from Kiln’s clock; check the clocks and resend.';

const refuse = (
  status: Evaluation['status'],
  message: string,
  reason: RejectionReason,
  rejection: Partial<Rejection> = {},
): Evaluation => ({
  status,
  body: { message },
  services: [],
  rejection: { reason, organizationIds: [], ...rejection },
});

/** What to answer a delivery and what to record for it: a refusal, an acknowledgement, or builds recorded to start. */
export async function evaluateDelivery(
  deps: AppDeps,
  delivery: IncomingDelivery,
  trusted?: BuildTarget,
): Promise<Evaluation> {
  if (bodyBytes(delivery) > MAX_WEBHOOK_BYTES) return refuse(413, 'Payload is larger than 25 MB.', 'too_large');
  const event = eventOf(delivery);
  const header = delivery.provider === 'github' ? 'X-GitHub-Event' : 'X-Gitlab-Event';
  if (!event) return refuse(400, `Missing ${header} header: is this a ${delivery.provider} webhook?`, 'missing_event');
  let parsed: ParsedDelivery;
  try {
    const body = decodePayload(delivery);
    parsed = delivery.provider === 'github' ? parseGithubDelivery(event, body) : parseGitlabDelivery(event, body);
  } catch (error) {
    return refuse(400, badBodyMessage(error), 'malformed');
  }
  const targets = trusted ? [trusted] : await verifiedTargets(deps, delivery, parsed);
  if (!Array.isArray(targets)) return targets;
  if (parsed.intent.kind === 'ping' || parsed.intent.kind === 'not_processed') {
    return {
      ...acknowledge(parsed.intent),
      services: targets.map((t) => ({ serviceId: t.service.id })),
      deliveryId: targets[0]!.deliveryId,
    };
  }
  if (parsed.intent.kind === 'close') {
    const closed = await cancelClosedChange(deps, parsed.intent, targets);
    return { ...closed, deliveryId: targets[0]!.deliveryId };
  }
  const intent = parsed.intent as BuildOrSkip;
  const { outcomes, pending } = await recordServiceBuilds(deps, delivery, intent, targets, parsed.project?.id);
  return { ...summarize(outcomes), deliveryId: targets[0]!.deliveryId, pending };
}

// The services whose secret the delivery proves, or the refusal. Pings and events Kiln ignores get the same
// 200 whether or not anything matched (they start nothing), so they cannot probe for registered repositories.
async function verifiedTargets(
  deps: AppDeps,
  delivery: IncomingDelivery,
  parsed: ParsedDelivery,
): Promise<BuildTarget[] | Evaluation> {
  const quiet = parsed.intent.kind === 'ping' || parsed.intent.kind === 'not_processed';
  const candidates = parsed.project ? await findServicesForProject(deps.db, delivery.provider, parsed.project) : [];
  const repository = parsed.project?.path ?? parsed.project?.id;
  const organizationIds = candidates.map((s) => s.organizationId);
  const auth =
    candidates.length > 0
      ? authenticatedServices(delivery, candidates, deps.cipher, deps.clock?.() ?? new Date())
      : { services: [], stale: false };
  if (auth.services.length > 0) {
    return auth.services.map(({ service, via }) => ({ service, ...deliveryIdentity(delivery, via) }));
  }
  const reason: RejectionReason =
    candidates.length === 0 ? 'unknown_repository' : auth.stale ? 'stale_signature' : 'invalid_secret';
  const rejection = { reason, organizationIds, repository };
  if (quiet) return { ...acknowledge(parsed.intent), services: [], rejection };
  // Only a caller holding a correctly signed (but old) delivery learns that it is stale.
  return { ...refuse(401, auth.stale ? STALE_MESSAGE : UNAUTHENTICATED_MESSAGE, reason), rejection };
}

type BuildOrSkip = Extract<DeliveryIntent, { kind: 'build' | 'skip' }>;

function acknowledge(intent: DeliveryIntent): Pick<Evaluation, 'status' | 'body'> {
  return { status: 200, body: { message: intent.kind === 'ping' ? 'pong' : 'Event type is not processed' } };
}

function summarize(outcomes: ServiceOutcome[]): Evaluation {
  const services = outcomes.map((o) => ({ serviceId: o.serviceId, buildId: o.build?.buildId }));
  const builds = outcomes.flatMap((o) =>
    o.build ? [{ serviceId: o.serviceId, service: o.serviceName, ...o.build }] : [],
  );
  const skipped = outcomes.flatMap((o) =>
    o.skip ? [{ serviceId: o.serviceId, service: o.serviceName, ...o.skip }] : [],
  );
  const message =
    builds.length > 0
      ? `Build started for ${builds.map((b) => b.service).join(', ')}`
      : skipped.map((s) => s.message).join(' ');
  const reason = builds.length === 0 && skipped.length === 1 ? { reason: skipped[0]!.reason } : {};
  return { status: 200, body: { message, ...reason, builds, skipped }, services };
}

function badBodyMessage(error: unknown): string {
  if (error instanceof ZodError) {
    const fields = error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    return `Payload is missing or has invalid fields: ${fields}.`;
  }
  if (error instanceof HTTPException) return error.message;
  return `Body is not valid JSON (${(error as Error).message}).`;
}
