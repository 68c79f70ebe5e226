import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { webhookRejections } from '../../db/schema';
import { claimedDeliveryId } from './delivery-key';
import { eventOf, type IncomingDelivery } from './read-delivery';

/** Why a delivery was not accepted before any service's secret vouched for it. */
export type RejectionReason =
  | 'unknown_repository'
  | 'invalid_secret'
  | 'stale_signature'
  | 'malformed'
  | 'missing_event'
  | 'too_large'
  | 'rate_limited';

/** The newest this many rejections are kept, instance-wide; older ones are pruned on insert. */
export const MAX_STORED_REJECTIONS = 1000;
/** At most this many rejection rows are written per minute, instance-wide; the rest are only counted. */
export const REJECTION_WRITES_PER_MINUTE = 120;
/** Longest header, event or repository value stored with a rejection. */
export const MAX_REJECTION_VALUE = 200;

/** Why a delivery was refused and whose admins may see it. */
export interface Rejection {
  reason: RejectionReason;
  /** Organizations of the services the delivery named (their admins see it); empty: instance admins only. */
  organizationIds: string[];
  repository?: string;
}

/**
 * Keeps a bounded, rate-limited record of unauthenticated deliveries, apart from any service's delivery history
 * (which only deliveries proven by the service's secret may enter). Over the rate limit, rejections are counted
 * and the count is written as one `rate_limited` row when the next minute's first rejection is recorded.
 */
export function createRejectionRecorder(
  db: Database,
  now: () => Date,
  logger?: { warn: (o: object, m: string) => void },
) {
  const admit = createWriteBudget(now);

  /** Records one rejected delivery (one row per organization it named), unless over the rate limit. Never throws. */
  async function record(delivery: IncomingDelivery, rejection: Rejection): Promise<void> {
    const orgs = rejection.organizationIds.length > 0 ? [...new Set(rejection.organizationIds)] : [null];
    const { allowed, dropped } = admit(orgs.length);
    const base = { provider: delivery.provider, event: clip(eventOf(delivery)) ?? null };
    const rows = allowed
      ? orgs.map((organizationId) => ({
          ...base,
          organizationId,
          repository: clip(rejection.repository) ?? null,
          reason: rejection.reason,
          headers: keptHeaders(delivery),
        }))
      : [];
    if (dropped > 0) {
      const headers = { 'not-recorded': String(dropped) };
      rows.push({ ...base, organizationId: null, repository: null, reason: 'rate_limited', headers });
    }
    if (rows.length === 0) return;
    try {
      await db.insert(webhookRejections).values(rows);
      await prune(db);
    } catch (err) {
      logger?.warn({ err }, 'could not record a rejected webhook delivery');
    }
  }

  return { record };
}

/**
 * The per-minute write budget: `admit(rows)` says whether that many rows may be written now, and how many
 * rejections the previous minute could not record (once, at the first admission of a new minute).
 */
function createWriteBudget(now: () => Date) {
  let windowStart = 0;
  let writes = 0;
  let notRecorded = 0;
  return (rows: number): { allowed: boolean; dropped: number } => {
    const minute = Math.floor(now().getTime() / 60_000);
    let dropped = 0;
    if (minute !== windowStart) {
      windowStart = minute;
      writes = 0;
      dropped = notRecorded;
      notRecorded = 0;
    }
    if (writes + rows > REJECTION_WRITES_PER_MINUTE) {
      notRecorded += rows;
      return { allowed: false, dropped };
    }
    writes += rows + (dropped > 0 ? 1 : 0);
    return { allowed: true, dropped };
  };
}

/** The recorder's type, for injection. */
export type RejectionRecorder = ReturnType<typeof createRejectionRecorder>;

async function prune(db: Database): Promise<void> {
  const stale = db
    .select({ id: webhookRejections.id })
    .from(webhookRejections)
    .orderBy(sql`${webhookRejections.createdAt} desc, ${webhookRejections.id} desc`)
    .offset(MAX_STORED_REJECTIONS);
  await db.delete(webhookRejections).where(inArray(webhookRejections.id, stale));
}

/** The few headers worth keeping (event, user agent, claimed delivery id, size), each cut to 200 characters. */
function keptHeaders(delivery: IncomingDelivery): Record<string, string> {
  const h = delivery.headers;
  const event = delivery.provider === 'github' ? 'x-github-event' : 'x-gitlab-event';
  const kept: Record<string, string | undefined> = {
    [event]: h[event],
    'user-agent': h['user-agent'],
    'delivery-id': claimedDeliveryId(delivery),
    'content-length': h['content-length'],
  };
  return Object.fromEntries(
    Object.entries(kept).flatMap(([name, value]) => (value === undefined ? [] : [[name, clip(value)!]])),
  );
}

// Control characters (NUL above all, which PostgreSQL cannot store) are replaced; the value is cut to the bound.
function clip(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are what we replace
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '\uFFFD').slice(0, MAX_REJECTION_VALUE);
  return clean.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
