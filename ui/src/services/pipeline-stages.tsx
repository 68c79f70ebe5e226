import type { ReactNode } from 'react';
import type { Build, DeploymentStatus, Service } from '../api/types';
import { BuildIcon, DeployIcon, OperateIcon, SourceIcon } from '../components/icons';

/** The newest build and the newest image a build pushed (what runs, or would run, after deploy). */
export interface LatestBuilds {
  latest: Build | undefined;
  lastImage: string | undefined;
}

/** The four stages a service card shows, in order. */
export type Stage = 'source' | 'build' | 'deploy' | 'operate';
type Tone = 'ok' | 'warn' | 'active' | 'fail' | 'idle';

interface StageView {
  stage: Stage;
  label: string;
  status: string;
  tone: Tone;
  icon: ReactNode;
}

/** The Deploy stage from the cluster's own answer, when the service has a cluster and Kiln could ask it. */
function deployView(service: Service, deployment: DeploymentStatus | undefined): { status: string; tone: Tone } {
  if (!service.clusterId) return { status: 'No cluster', tone: 'idle' };
  switch (deployment?.state) {
    case 'Available':
      return { status: 'Deployed', tone: 'ok' };
    case 'Progressing':
      return { status: 'Rolling out', tone: 'active' };
    case 'Failed':
      return { status: 'Deploy failed', tone: 'fail' };
    case 'NotDeployed':
      return { status: 'Not deployed', tone: 'idle' };
    default:
      return { status: 'Cluster connected', tone: 'ok' };
  }
}

/** The Build stage from the latest build (its progress while building), or whether Auto CI is on without one. */
function buildView(service: Service, build: Build | undefined): { status: string; tone: Tone } {
  if (!build) return { status: service.autoCiEnabled ? 'Auto CI on' : 'No builds', tone: 'idle' };
  const tone: Tone =
    build.status === 'Succeeded'
      ? 'ok'
      : build.status === 'Failed'
        ? 'fail'
        : build.status === 'Cancelled'
          ? 'idle'
          : 'active';
  return { status: build.status === 'Building' ? `Building ${build.progress}%` : build.status, tone };
}

/** The Operate stage: ready replicas of a rolled-out Deployment, else the newest image a build pushed. */
function operateView(
  image: string | undefined,
  deployment: DeploymentStatus | undefined,
): { status: string; tone: Tone } {
  if (deployment?.state === 'Available' || deployment?.state === 'Progressing')
    return {
      status: `${deployment.availableReplicas}/${deployment.replicas} ready`,
      tone: deployment.availableReplicas > 0 ? 'ok' : 'warn',
    };
  const tag = image?.split(':').at(-1)?.slice(0, 12);
  return { status: image ? `Image ${tag ?? ''}` : 'No image yet', tone: image ? 'ok' : 'idle' };
}

/** Works out each stage's status from the service, its latest build and (with a cluster) its Deployment. */
export function stageViews(
  service: Service,
  missing: string[],
  builds: LatestBuilds,
  deployment?: DeploymentStatus,
): StageView[] {
  const noToken = missing.some((m) => m.toLowerCase().includes('git'));
  return [
    {
      stage: 'source',
      label: 'Source',
      status: noToken ? 'No Git token' : 'Connected',
      tone: noToken ? 'warn' : 'ok',
      icon: <SourceIcon />,
    },
    { stage: 'build', label: 'Build', ...buildView(service, builds.latest), icon: <BuildIcon /> },
    { stage: 'deploy', label: 'Deploy', ...deployView(service, deployment), icon: <DeployIcon /> },
    { stage: 'operate', label: 'Operate', ...operateView(builds.lastImage, deployment), icon: <OperateIcon /> },
  ];
}

/** Source → Build → Deploy → Operate; each stage is a button that opens where that stage is managed. */
export function PipelineStages({
  service,
  missing,
  latestBuild,
  deployment,
  onOpen,
}: {
  service: Service;
  missing: string[];
  latestBuild: LatestBuilds;
  deployment?: DeploymentStatus;
  onOpen: (stage: Stage) => void;
}) {
  return (
    <ol className="pipeline" aria-label={`${service.name} pipeline`}>
      {stageViews(service, missing, latestBuild, deployment).map((view) => (
        <li key={view.stage}>
          <button
            type="button"
            className={`stage stage-${view.tone}`}
            onClick={() => onOpen(view.stage)}
            aria-label={`${view.label}: ${view.status}`}
          >
            <span className="stage-icon">{view.icon}</span>
            <span className="stage-label">{view.label}</span>
            <span className="stage-status">{view.status}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}
