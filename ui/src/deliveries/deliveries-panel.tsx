import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { kiln } from '../api/endpoints';
import type { Delivery } from '../api/types';
import { timeAgo } from '../builds/format';
import { QueryState } from '../components/query-state';
import { useToast } from '../components/toast';
import { href } from '../router';
import { useIsAdmin } from '../session';

/** Recent deliveries: each webhook Kiln received for the service, what it answered, the build it started. */
export function DeliveriesPanel({ serviceId }: { serviceId: string }) {
  const key = ['deliveries', serviceId];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: () => kiln.listDeliveries(serviceId),
    refetchInterval: 10_000,
  });
  const admin = useIsAdmin();
  const queryClient = useQueryClient();
  const toast = useToast();
  const redeliver = useMutation({
    mutationFn: (id: string) => kiln.redeliver(serviceId, id),
    onSuccess: async (d) => {
      toast(`Redelivered: ${d.statusCode} ${summary(d)}`, d.statusCode < 300 ? 'success' : 'error');
      await queryClient.invalidateQueries({ queryKey: key });
      await queryClient.invalidateQueries({ queryKey: ['builds', serviceId] });
    },
    onError: (error) => toast(error.message, 'error'),
  });
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
            <table aria-label="Recent deliveries">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Time</th>
                  <th scope="col">Status</th>
                  <th scope="col">Response</th>
                  <th scope="col">Build</th>
                  {admin && (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {page.items.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <strong>{d.event ?? 'unknown'}</strong>
                      <div className="muted">
                        {d.provider}
                        {d.redeliveryOf && ' · redelivery'}
                      </div>
                    </td>
                    <td title={new Date(d.createdAt).toLocaleString()}>{timeAgo(d.createdAt)}</td>
                    <td>
                      <span className={`status-code ${d.statusCode < 300 ? 'ok' : 'bad'}`}>{d.statusCode}</span>
                      <div className="muted">{d.durationMs} ms</div>
                    </td>
                    <td className="response">{summary(d)}</td>
                    <td>
                      {d.buildId ? (
                        <a href={href('services', serviceId, 'builds', d.buildId)}>{d.buildId.slice(0, 8)}</a>
                      ) : (
                        '—'
                      )}
                    </td>
                    {admin && (
                      <td>
                        <button
                          type="button"
                          className="secondary"
                          disabled={!d.canRedeliver || redeliver.isPending}
                          title={d.canRedeliver ? undefined : 'Rejected deliveries keep no payload'}
                          onClick={() => redeliver.mutate(d.id)}
                          aria-label={`Redeliver ${d.event ?? 'delivery'} from ${timeAgo(d.createdAt)}`}
                        >
                          Redeliver
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </QueryState>
  );
}

/** The response's message, which says what Kiln did (build started, branch filtered, bad token…). */
function summary(d: Delivery): string {
  const message = typeof d.response.message === 'string' ? d.response.message : JSON.stringify(d.response);
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}
