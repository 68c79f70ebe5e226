import type { Service } from '../api/types';
import { BuildsPanel } from '../builds/builds-panel';
import { DeliveriesPanel } from '../deliveries/deliveries-panel';
import { PipelinesPanel } from '../pipelines/pipelines-panel';
import { href, navigate } from '../router';
import { ServiceForm } from './service-form';

const tabs = [
  { id: 'builds', label: 'Builds' },
  { id: 'pipelines', label: 'Pipelines' },
  { id: 'deliveries', label: 'Recent deliveries' },
  { id: 'settings', label: 'Settings' },
] as const;

/** The service's sections as links (`#/services/<id>/<tab>`), the current one marked. */
export function ServiceTabs({ serviceId, current }: { serviceId: string; current: string }) {
  return (
    <nav className="tabs" aria-label="Service sections">
      {tabs.map((t) => (
        <a
          key={t.id}
          href={href('services', serviceId, t.id)}
          aria-current={current === t.id ? 'page' : undefined}
          className={current === t.id ? 'tab active' : 'tab'}
        >
          {t.label}
        </a>
      ))}
    </nav>
  );
}

/** The current section (an unknown one shows Builds); `sub` is the build whose log is open. */
export function ServiceTabPanel({ service, tab, sub }: { service: Service; tab: string; sub: string | undefined }) {
  return (
    <section className="tab-panel" aria-label={tabs.find((t) => t.id === tab)?.label ?? 'Builds'}>
      {tab === 'pipelines' ? (
        <PipelinesPanel serviceId={service.id} defaultBranch={service.defaultBranch} />
      ) : tab === 'deliveries' ? (
        <DeliveriesPanel serviceId={service.id} />
      ) : tab === 'settings' ? (
        <div className="card narrow">
          <ServiceForm service={service} onSaved={() => navigate('services', service.id, 'builds')} />
        </div>
      ) : (
        <BuildsPanel service={service} openBuildId={sub} />
      )}
    </section>
  );
}
