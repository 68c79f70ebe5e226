import { useQuery } from '@tanstack/react-query';
import { kiln } from '../api/endpoints';
import type { Delivery } from '../api/types';
import { QueryState } from '../components/query-state';

/** Kiln's answer, the request headers (signatures and tokens never stored) and the payload it kept. */
export function DeliveryDetails({ serviceId, delivery }: { serviceId: string; delivery: Delivery }) {
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

function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}
