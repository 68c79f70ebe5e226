import { ZodError } from 'zod';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from '../deps';
import { authenticatedServices } from './authenticate';
import type { DeliveryIntent, ParsedDelivery } from './delivery-event';
import { findServicesForProject, type WebhookService } from './find-services';
import { parseGithubDelivery } from './github-payload';
import { parseGitlabDelivery } from './gitlab-payload';
import {
  bodyBytes,
  decodePayload,
  deliveryIdOf,
  eventOf,
  MAX_WEBHOOK_BYTES,
  type IncomingDelivery,
} from './read-delivery';
import { recordDelivery, updateDeliveryOutcome } from './record-delivery';
import {
  recordServiceBuilds,
  startPendingBuilds,
  type PendingStart,
  type ServiceOutcome,
} from './start-service-builds';

/** The HTTP answer to a delivery, plus the delivery record ids written for it. */
export interface IntakeResult {
  status: 400 | 401 | 404 | 413 | 200 | 503;
  body: Record<string, unknown>;
  recordIds: string[];
}

interface Evaluation {
  status: IntakeResult['status'];
  body: Record<string, unknown>;
  services: { serviceId?: string; buildId?: string }[];
  authenticated: boolean;
  /** Recorded builds whose workflows start while the delivery is being recorded. */
  pending?: PendingStart[];
}

const reply = (status: Evaluation['status'], message: string, extra: Record<string, unknown> = {}): Evaluation => ({
  status,
  body: { message, ...extra },
  services: [],
  authenticated: false,
});

/** Verifies, records and acts on webhook deliveries; a 200 means every build it reports is durably started. */
export function createWebhookIntake(deps: AppDeps) {
  const now = () => deps.clock?.() ?? new Date();

  // The delivery record is written while the workflows start (both must finish before the answer); when a start
  // fails the record is corrected to the 503 the provider receives.
  async function finish(delivery: IncomingDelivery, started: number, evaluation: Evaluation, redeliveryOf?: string) {
    const record = recordDelivery(deps.db, {
      delivery,
      event: eventOf(delivery),
      deliveryId: deliveryIdOf(delivery),
      statusCode: evaluation.status,
      response: evaluation.body,
      services: evaluation.services,
      keepPayload: evaluation.authenticated,
      redeliveryOf,
      durationMs: Math.round(performance.now() - started),
    });
    const [recordIds, failure] = await Promise.all([record, startPendingBuilds(deps, evaluation.pending ?? [])]);
    if (!failure) return { status: evaluation.status, body: evaluation.body, recordIds };
    const body = { message: failure, builds: evaluation.body.builds };
    await updateDeliveryOutcome(deps.db, recordIds, { statusCode: 503, response: body });
    return { status: 503 as const, body, recordIds };
  }

  /** A delivery from GitLab/GitHub: authenticated with the secret of the service(s) it names. */
  async function receive(delivery: IncomingDelivery): Promise<IntakeResult> {
    const started = performance.now();
    return finish(delivery, started, await evaluate(delivery));
  }

  /** An admin's redelivery of a stored delivery to one service: already authenticated, same delivery id. */
  async function redeliver(delivery: IncomingDelivery, service: WebhookService, originalId: string) {
    const started = performance.now();
    return finish(delivery, started, await evaluate(delivery, service), originalId);
  }

  async function evaluate(delivery: IncomingDelivery, trusted?: WebhookService): Promise<Evaluation> {
    if (bodyBytes(delivery) > MAX_WEBHOOK_BYTES) return reply(413, 'Payload is larger than 25 MB.');
    const event = eventOf(delivery);
    const header = delivery.provider === 'github' ? 'X-GitHub-Event' : 'X-Gitlab-Event';
    if (!event) return reply(400, `Missing ${header} header: is this a ${delivery.provider} webhook?`);
    let parsed: ParsedDelivery;
    try {
      const body = decodePayload(delivery);
      parsed = delivery.provider === 'github' ? parseGithubDelivery(event, body) : parseGitlabDelivery(event, body);
    } catch (error) {
      return reply(400, badBodyMessage(error));
    }
    const quiet = parsed.intent.kind === 'ping' || parsed.intent.kind === 'not_processed';
    const candidates = trusted
      ? [trusted]
      : parsed.project
        ? await findServicesForProject(deps.db, delivery.provider, parsed.project)
        : [];
    if (candidates.length === 0) {
      if (quiet) return acknowledge(parsed.intent, []);
      const name = parsed.project?.path ?? parsed.project?.id ?? '(none named)';
      return reply(404, `No Kiln service is registered for repository ${name}; register it as a service first.`);
    }
    const auth = trusted
      ? { services: [trusted], stale: false }
      : authenticatedServices(delivery, candidates, deps.cipher, now());
    if (auth.services.length === 0) return rejected(candidates, auth.stale);
    if (quiet) return acknowledge(parsed.intent, auth.services);
    const intent = parsed.intent as BuildOrSkip;
    const { outcomes, pending } = await recordServiceBuilds(deps, delivery, intent, auth.services, parsed.project?.id);
    return { ...summarize(outcomes), pending };
  }

  return { receive, redeliver };
}

type BuildOrSkip = Extract<DeliveryIntent, { kind: 'build' | 'skip' }>;

function acknowledge(intent: DeliveryIntent, services: WebhookService[]): Evaluation {
  const message = intent.kind === 'ping' ? 'pong' : 'Event type is not processed';
  return {
    status: 200,
    body: { message },
    services: services.map((s) => ({ serviceId: s.id })),
    authenticated: services.length > 0,
  };
}

// The same answer whichever service the repository belongs to, so a caller learns nothing about them.
function rejected(candidates: WebhookService[], stale: boolean): Evaluation {
  const message = stale
    ? 'Signature timestamp is more than 5 minutes away from Kiln’s clock; check the clocks and resend.'
    : 'Invalid webhook secret token or signature; copy the Secret token from Kiln’s webhook settings.';
  return {
    status: 401,
    body: { message },
    services: candidates.map((s) => ({ serviceId: s.id })),
    authenticated: false,
  };
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
  return { status: 200, body: { message, ...reason, builds, skipped }, services, authenticated: true };
}

function badBodyMessage(error: unknown): string {
  if (error instanceof ZodError) {
    const fields = error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    return `Payload is missing or has invalid fields: ${fields}.`;
  }
  if (error instanceof HTTPException) return error.message;
  return `Body is not valid JSON (${(error as Error).message}).`;
}
