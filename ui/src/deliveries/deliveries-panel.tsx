import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { kiln } from '../api/endpoints';
import type { Delivery } from '../api/types';
import { timeAgo } from '../builds/format';
import { QueryState } from '../components/query-state';
import { useToast } from '../components/toast';
import { href } from '../router';
import { useIsAdmin } from '../session';
import { deliveryOutcome } from './delivery-outcome';

/** Recent deliveries, like GitHub's: event, ref, commit, outcome, duration; headers and payload on demand. */
export function DeliveriesPanel({ serviceId }: { serviceId: string }) {
  const key = ['deliveries', serviceId];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: () => kiln.listDeliveries(serviceId),
    refetchInterval: 10_000,
  });
  const admin = useIsAdmin();
  const [open, setOpen] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const redeliver = useMutation({
    mutationFn: (id: string) => kiln.redeliver(serviceId, id),
    onSuccess: async (d) => {
      toast(`Redelivered: ${deliveryOutcome(d).text}`, d.statusCode < 300 ? 'success' : 'error');
      await queryClient.invalidateQueries({ queryKey: key });
      await queryClient.invalidateQueries({ queryKey: ['builds', serviceId] });
    },
    onError: (error) => toast(error.message, 'error'),
  });
  const confirmRedeliver = (d: Delivery) => {
    const what = `${d.event ?? 'delivery'}${d.ref ? ` of ${d.ref}` : ''} from ${new Date(d.createdAt).toLocaleString()}`;
    if (window.confirm(`Redeliver the ${what}? Kiln processes it again and may start a build.`)) redeliver.mutate(d.id);
  };
  return (
    <QueryState query={deliveries} what="deliveries">
      {(page) =>
        page.items.length === 0 ? (
          <p className="empty card">
            No webhook deliveries yet. Register the webhook (Auto CI → Webhook) and push, or use your provider&rsquo;s
            Test button.
          </p>
        ) : (
          <div className="card table-wrap">
            <table aria-label="Recent deliveries" className="deliveries">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Ref and commit</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Time</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((d) => {
                  const outcome = deliveryOutcome(d);
                  return (
                    <Fragment key={d.id}>
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
                        <td title={new Date(d.createdAt).toLocaleString()}>{timeAgo(d.createdAt)}</td>
                        <td className="delivery-actions">
                          <button
                            type="button"
                            className="secondary"
                            aria-expanded={open === d.id}
                            onClick={() => setOpen(open === d.id ? null : d.id)}
                          >
                            {open === d.id ? 'Hide' : 'Details'}
                          </button>
                          {admin && (
                            <button
                              type="button"
                              className="secondary"
                              disabled={!d.canRedeliver || redeliver.isPending}
                              title={d.canRedeliver ? undefined : 'Rejected deliveries keep no payload'}
                              onClick={() => confirmRedeliver(d)}
                              aria-label={`Redeliver ${d.event ?? 'delivery'} from ${timeAgo(d.createdAt)}`}
                            >
                              Redeliver
                            </button>
                          )}
                        </td>
                      </tr>
                      {open === d.id && (
                        <tr>
                          <td colSpan={5}>
                            <DeliveryDetails serviceId={serviceId} delivery={d} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      }
    </QueryState>
  );
}

/** Kiln's answer, the request headers (signatures and tokens never stored) and the payload it kept. */
function DeliveryDetails({ serviceId, delivery }: { serviceId: string; delivery: Delivery }) {
  const detail = useQuery({
    queryKey: ['delivery', delivery.id],
    queryFn: () => kiln.getDelivery(serviceId, delivery.id),
  });
  return (
    <div className="delivery-details" aria-label={`Details of the ${delivery.event ?? 'delivery'} delivery`}>
      <h4>Response {delivery.statusCode}</h4>
      <pre className="wrap">{JSON.stringify(delivery.response, null, 2)}</pre>
      <QueryState query={detail} what="the request">
        {(d) => (
          <>
            <h4>Request headers</h4>
            <pre className="wrap">
              {Object.entries(d.headers)
                .map(([name, value]) => `${name}: ${value}`)
                .join('\n') || '(none kept)'}
            </pre>
            <h4>Payload</h4>
            {d.payload ? (
              <pre className="wrap payload">{pretty(d.payload)}</pre>
            ) : (
              <p className="muted">Kiln keeps the payload of authenticated deliveries only.</p>
            )}
          </>
        )}
      </QueryState>
    </div>
  );
}

/** The response's message, which says what Kiln did (build started, branch filtered, bad token…). */
function summary(d: Delivery): string {
  const message = typeof d.response.message === 'string' ? d.response.message : '';
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}
