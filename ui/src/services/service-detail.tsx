import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { kiln } from '../api/endpoints';
import type { GitProvider, Service } from '../api/types';
import { AutoCiModal } from '../auto-ci/auto-ci-modal';
import { useLatestBuilds } from '../builds/queries';
import { QueryState } from '../components/query-state';
import { href, navigate } from '../router';
import { useGitProviders } from '../settings/queries';
import { AutoCiButton } from './auto-ci-button';
import { PipelineStages } from './pipeline-stages';
import type { LatestBuilds, Stage } from './pipeline-stages';
import { missingForAutoCi } from './prerequisites';
import { ServiceTabPanel, ServiceTabs } from './service-tabs';

/** One service: pipeline, Auto CI, and tabs for builds, webhook deliveries and settings. */
export function ServiceDetail({ serviceId, tab, sub }: { serviceId: string; tab: string; sub: string | undefined }) {
  const service = useQuery({
    queryKey: ['services', serviceId],
    queryFn: () => kiln.getService(serviceId),
    refetchInterval: 5_000,
  });
  const [autoCiOpen, setAutoCiOpen] = useState(false);
  // Asked for alongside the service, not after it arrives.
  const providers = useGitProviders();
  const latestBuild = useLatestBuilds(serviceId);
  return (
    <QueryState query={service} what="the service">
      {(svc) => (
        <>
          <ServiceOverview
            service={svc}
            providers={providers.data?.items}
            latestBuild={latestBuild}
            onOpenAutoCi={() => setAutoCiOpen(true)}
          />
          <ServiceTabs serviceId={svc.id} current={tab} />
          <ServiceTabPanel service={svc} tab={tab} sub={sub} />
          {autoCiOpen && <AutoCiModal service={svc} onClose={() => setAutoCiOpen(false)} />}
        </>
      )}
    </QueryState>
  );
}

/**
 * Breadcrumbs, name, repository and the Auto CI button, then the pipeline stages; a stage opens where it is managed
 * (Build: Auto CI, once it can be enabled or is on; otherwise the service settings or its builds).
 */
function ServiceOverview(props: {
  service: Service;
  providers: GitProvider[] | undefined;
  latestBuild: LatestBuilds;
  onOpenAutoCi: () => void;
}) {
  const { service: svc, onOpenAutoCi } = props;
  const missing = missingForAutoCi(svc, props.providers);
  const open = (stage: Stage) => {
    if (stage === 'build' && (missing.length === 0 || svc.autoCiEnabled)) onOpenAutoCi();
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
        <AutoCiButton serviceName={svc.name} missing={missing} enabled={svc.autoCiEnabled} onOpen={onOpenAutoCi} />
      </div>
      <PipelineStages service={svc} missing={missing} latestBuild={props.latestBuild} onOpen={open} />
    </>
  );
}
