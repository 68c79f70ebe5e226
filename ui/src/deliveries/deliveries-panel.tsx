import { useQuery } from '@tanstack/react-query';
import { kiln } from '../api/endpoints';
import { QueryState } from '../components/query-state';
import { DeliveriesTable } from './deliveries-table';

/** Recent deliveries, like GitHub's: event, ref, commit, outcome, duration; headers and payload on demand. */
export function DeliveriesPanel({ serviceId }: { serviceId: string }) {
  const deliveries = useQuery({
    queryKey: ['deliveries', serviceId],
    queryFn: () => kiln.listDeliveries(serviceId),
    refetchInterval: 10_000,
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
          <DeliveriesTable serviceId={serviceId} deliveries={page.items} />
        )
      }
    </QueryState>
  );
}
