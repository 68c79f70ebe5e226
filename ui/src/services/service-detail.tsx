import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { kiln } from '../api/endpoints';
import { AutoCiModal } from '../auto-ci/auto-ci-modal';
import { BuildsPanel } from '../builds/builds-panel';
import { QueryState } from '../components/query-state';
import { DeliveriesPanel } from '../deliveries/deliveries-panel';
import { PipelinesPanel } from '../pipelines/pipelines-panel';
import { href, navigate } from '../router';
import { AutoCiButton } from './auto-ci-button';
import { PipelineStages } from './pipeline-stages';
import type { Stage } from './pipeline-stages';
import { useLatestBuilds } from '../builds/queries';
import { missingForAutoCi, useGitProviders } from './prerequisites';
import { ServiceForm } from './service-form';

const tabs = [
  { id: 'builds', label: 'Builds' },
  { id: 'pipelines', label: 'Pipelines' },
  { id: 'deliveries', label: 'Recent deliveries' },
  { id: 'settings', label: 'Settings' },
] as const;

/** One service: pipeline, Auto CI, and tabs for builds, webhook deliveries and settings. */
export function ServiceDetail({ serviceId, tab, sub }: { serviceId: string; tab: string; sub: string | undefined }) {
  const service = useQuery({
    queryKey: ['services', serviceId],
    queryFn: () => kiln.getService(serviceId),
    refetchInterval: 5_000,
  });
  const [autoCiOpen, setAutoCiOpen] = useState(false);
  const providers = useGitProviders();
  const latestBuild = useLatestBuilds(serviceId);
  return (
    <QueryState query={service} what="the service">
      {(svc) => {
        const missing = missingForAutoCi(svc, providers.data?.items);
        const open = (stage: Stage) => {
          if (stage === 'build' && (missing.length === 0 || svc.autoCiEnabled)) setAutoCiOpen(true);
          else navigate('services', svc.id, stage === 'operate' ? 'builds' : 'settings');
        };
        return (
          <>
            <nav className="breadcrumbs" aria-label="Breadcrumb">
              <a href={href('services')}>Services</a> / <span aria-current="page">{svc.name}</span>
            </nav>
            <div className="page-header">
              <div>
                <h1>{svc.name}</h1>
                <p className="muted repo">{svc.repoUrl}</p>
              </div>
              <AutoCiButton
                serviceName={svc.name}
                missing={missing}
                enabled={svc.autoCiEnabled}
                onOpen={() => setAutoCiOpen(true)}
              />
            </div>
            <PipelineStages service={svc} missing={missing} latestBuild={latestBuild} onOpen={open} />
            <nav className="tabs" aria-label="Service sections">
              {tabs.map((t) => (
                <a
                  key={t.id}
                  href={href('services', svc.id, t.id)}
                  aria-current={tab === t.id ? 'page' : undefined}
                  className={tab === t.id ? 'tab active' : 'tab'}
                >
                  {t.label}
                </a>
              ))}
            </nav>
            <section className="tab-panel" aria-label={tabs.find((t) => t.id === tab)?.label ?? 'Builds'}>
              {tab === 'pipelines' ? (
                <PipelinesPanel serviceId={svc.id} defaultBranch={svc.defaultBranch} />
              ) : tab === 'deliveries' ? (
                <DeliveriesPanel serviceId={svc.id} />
              ) : tab === 'settings' ? (
                <div className="card narrow">
                  <ServiceForm service={svc} onSaved={() => navigate('services', svc.id, 'builds')} />
                </div>
              ) : (
                <BuildsPanel service={svc} openBuildId={sub} />
              )}
            </section>
            {autoCiOpen && <AutoCiModal service={svc} onClose={() => setAutoCiOpen(false)} />}
          </>
        );
      }}
    </QueryState>
  );
}
