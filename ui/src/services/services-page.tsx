import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { kiln } from '../api/endpoints';
import type { Service } from '../api/types';
import { AutoCiModal } from '../auto-ci/auto-ci-modal';
import { PlusIcon } from '../components/icons';
import { QueryState } from '../components/query-state';
import { href, navigate } from '../router';
import { ServiceCard } from './service-card';
import { ServiceFormModal } from './service-form';

/** Query key of the services list; mutations invalidate it. */
export const servicesKey = ['services'] as const;

/** Service Management: every service as a card, plus New service. */
export function ServicesPage({ creating }: { creating: boolean }) {
  const services = useQuery({ queryKey: servicesKey, queryFn: kiln.listServices, refetchInterval: 5_000 });
  const [autoCiFor, setAutoCiFor] = useState<Service | null>(null);
  return (
    <>
      <div className="page-header">
        <h1>Services</h1>
        <a className="button" href={href('services', 'new')}>
          <PlusIcon /> New service
        </a>
      </div>
      <QueryState query={services} what="services">
        {(page) =>
          page.items.length === 0 ? (
            <div className="empty card">
              <p>No services yet. A service is one Git repository Kiln builds.</p>
              <a className="button" href={href('services', 'new')}>
                Create your first service
              </a>
            </div>
          ) : (
            <div className="service-grid">
              {page.items.map((service) => (
                <ServiceCard key={service.id} service={service} onAutoCi={setAutoCiFor} />
              ))}
            </div>
          )
        }
      </QueryState>
      {creating && (
        <ServiceFormModal
          onClose={() => navigate('services')}
          onSaved={(service) => navigate('services', service.id)}
        />
      )}
      {autoCiFor && <AutoCiModal service={autoCiFor} onClose={() => setAutoCiFor(null)} />}
    </>
  );
}
