import { Fragment, useState } from 'react';
import type { Delivery } from '../api/types';
import { useIsAdmin } from '../session';
import { DeliveryDetails } from './delivery-details';
import { DeliveryRow } from './delivery-row';
import { useRedeliver } from './use-redeliver';

/** The deliveries as a table; one at a time opens its details in a full-width row under it. */
export function DeliveriesTable({ serviceId, deliveries }: { serviceId: string; deliveries: Delivery[] }) {
  const admin = useIsAdmin();
  const [open, setOpen] = useState<string | null>(null);
  const redeliver = useRedeliver(serviceId);
  return (
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
          {deliveries.map((d) => (
            <Fragment key={d.id}>
              <DeliveryRow
                delivery={d}
                expanded={open === d.id}
                onToggle={() => setOpen(open === d.id ? null : d.id)}
                redeliver={admin ? redeliver : null}
              />
              {open === d.id && (
                <tr>
                  <td colSpan={5}>
                    <DeliveryDetails serviceId={serviceId} delivery={d} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
