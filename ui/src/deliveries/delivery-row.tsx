import type { Delivery } from '../api/types';
import { timeAgo } from '../builds/format';
import { href } from '../router';
import { deliveryOutcome } from './delivery-outcome';
import type { Redeliver } from './use-redeliver';

interface DeliveryRowProps {
  delivery: Delivery;
  expanded: boolean;
  onToggle: () => void;
  /** Redeliver, for admins; null hides the button. */
  redeliver: Redeliver | null;
}

/** One delivery: event and provider, ref and commit, outcome with Kiln's answer, age, Details and Redeliver. */
export function DeliveryRow({ delivery: d, expanded, onToggle, redeliver }: DeliveryRowProps) {
  return (
    <tr>
      <td>
        <strong>{d.event ?? 'unknown'}</strong>
        <div className="muted">
          {d.provider}
          {d.redeliveryOf && ' · redelivery'}
        </div>
      </td>
      <td>
        {d.ref ?? <span className="muted">—</span>}
        {d.sha && (
          <div>
            <code>{d.sha.slice(0, 8)}</code>
          </div>
        )}
      </td>
      <OutcomeCell delivery={d} />
      <td title={new Date(d.createdAt).toLocaleString()}>{timeAgo(d.createdAt)}</td>
      <td className="delivery-actions">
        <button type="button" className="secondary" aria-expanded={expanded} onClick={onToggle}>
          {expanded ? 'Hide' : 'Details'}
        </button>
        {redeliver && (
          <button
            type="button"
            className="secondary"
            disabled={!d.canRedeliver || redeliver.isPending}
            title={d.canRedeliver ? undefined : 'Rejected deliveries keep no payload'}
            onClick={() => redeliver.confirmRedeliver(d)}
            aria-label={`Redeliver ${d.event ?? 'delivery'} from ${timeAgo(d.createdAt)}`}
          >
            Redeliver
          </button>
        )}
      </td>
    </tr>
  );
}

/** The outcome badge, Kiln's message, status and duration, and the build it started. */
function OutcomeCell({ delivery: d }: { delivery: Delivery }) {
  const outcome = deliveryOutcome(d);
  return (
    <td>
      <span className={`badge outcome-${outcome.kind}`}>{outcome.text}</span>
      <div className="response">{summary(d)}</div>
      <div className="muted">
        {d.statusCode} · {d.durationMs} ms
        {d.buildId && (
          <>
            {' '}
            · <a href={href('builds', d.buildId)}>build {d.buildId.slice(0, 8)}</a>
          </>
        )}
      </div>
    </td>
  );
}

/** The response's message, which says what Kiln did (build started, branch filtered, bad token…). */
function summary(d: Delivery): string {
  const message = typeof d.response.message === 'string' ? d.response.message : '';
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}
