import { useQuery } from '@tanstack/react-query';
import { kiln } from '../api/endpoints';
import type { Service } from '../api/types';
import { href, navigate } from '../router';
import { AutoCiButton } from './auto-ci-button';
import { PipelineStages } from './pipeline-stages';
import type { Stage } from './pipeline-stages';
import { useLatestBuilds } from '../builds/queries';
import { useGitProviders } from '../settings/queries';
import { missingForAutoCi } from './prerequisites';

/** One service: name, repository, Auto CI button and the four-stage pipeline. */
export function ServiceCard({ service, onAutoCi }: { service: Service; onAutoCi: (service: Service) => void }) {
  const providers = useGitProviders();
  const missing = missingForAutoCi(service, providers.data?.items);
  const latestBuild = useLatestBuilds(service.id);
  // Only a service with a cluster has a Deployment to ask about; the cluster answers, not Kiln's records.
  const deployment = useQuery({
    queryKey: ['deployment', service.id],
    queryFn: () => kiln.getDeployment(service.id),
    enabled: service.clusterId != null,
    refetchInterval: 15_000,
    retry: false,
  });
  const open = (stage: Stage) => {
    if (stage === 'build' && (missing.length === 0 || service.autoCiEnabled)) onAutoCi(service);
    else if (stage === 'source' || stage === 'deploy' || stage === 'build')
      navigate('services', service.id, 'settings');
    else navigate('services', service.id, 'builds');
  };
  return (
    <article className="card service-card" aria-labelledby={`svc-${service.id}`}>
      <header className="service-card-header">
        <div>
          <h2 id={`svc-${service.id}`}>
            <a href={href('services', service.id)}>{service.name}</a>
          </h2>
          <p className="muted repo" title={service.repoUrl}>
            {service.gitProvider === 'github' ? 'GitHub' : 'GitLab'} · {service.projectPath || service.repoUrl}
          </p>
        </div>
        <AutoCiButton
          serviceName={service.name}
          missing={missing}
          enabled={service.autoCiEnabled}
          onOpen={() => onAutoCi(service)}
        />
      </header>
      <PipelineStages
        service={service}
        missing={missing}
        latestBuild={latestBuild}
        deployment={deployment.data}
        onOpen={open}
      />
    </article>
  );
}
