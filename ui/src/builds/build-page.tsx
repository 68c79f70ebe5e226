import { useQuery } from '@tanstack/react-query';
import { kiln } from '../api/endpoints';
import type { Build, BuildDetail } from '../api/types';
import { ExternalIcon } from '../components/icons';
import { QueryState } from '../components/query-state';
import { StatusBadge } from '../components/status-badge';
import { href } from '../router';
import { BuildImages } from './build-images';
import { BuildLog } from './build-log';
import { BuildProgress } from './build-progress';
import { DockerfileNotFoundWizard } from './dockerfile-not-found';
import { buildDuration, buildRef, buildTitle, formatDuration, isActive, triggerText } from './format';
import { WorkflowHistory } from './workflow-history';

/** `#/builds/<id>`, the page commit statuses link to: the outcome, every image and digest, the log. */
export function BuildPage({ buildId }: { buildId: string }) {
  const build = useQuery({
    queryKey: ['build', buildId],
    queryFn: () => kiln.getBuild(buildId),
    refetchInterval: (q) =>
      q.state.data && (isActive(q.state.data) || q.state.data.children.some(isActive)) ? 2_000 : false,
  });
  return (
    <QueryState query={build} what="the build">
      {(b) => <BuildSummary build={b} />}
    </QueryState>
  );
}

function BuildSummary({ build }: { build: BuildDetail }) {
  return (
    <>
      <BuildHeader build={build} />
      <BuildProgress build={build} />
      {build.error && (
        <p className="build-error" role="alert">
          {build.error}
        </p>
      )}
      <DockerfileNotFoundWizard build={build} />
      <section aria-labelledby="images-heading">
        <h2 id="images-heading">Images</h2>
        <BuildImages build={build} subBuilds={build.children} />
      </section>
      {build.children.length > 0 && <SubprojectLinks builds={build.children} />}
      <section aria-labelledby="workflow-heading">
        <h2 id="workflow-heading">Workflow</h2>
        {build.temporalUrl ? (
          <a href={build.temporalUrl} target="_blank" rel="noreferrer">
            {build.workflowId} in the Temporal Web UI <ExternalIcon />
          </a>
        ) : (
          <WorkflowHistory build={build} />
        )}
      </section>
      <section aria-labelledby="log-heading">
        <h2 id="log-heading">Log</h2>
        <BuildLog build={build} />
      </section>
    </>
  );
}

/** Breadcrumbs to the service (and the monorepo parent), the title, what started it, and its status. */
function BuildHeader({ build }: { build: Build }) {
  const title = buildTitle(build);
  const serviceLink = href('services', build.serviceId, 'builds', build.parentBuildId ?? build.id);
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <a href={href('services')}>Services</a> / <a href={serviceLink}>{build.serviceName}</a> /{' '}
        {build.parentBuildId && (
          <>
            <a href={href('builds', build.parentBuildId)}>Monorepo build</a> /{' '}
          </>
        )}
        <span aria-current="page">{build.subproject ?? 'Build'}</span>
      </nav>
      <div className="page-header">
        <div style={{ minWidth: 0 }}>
          <h1 className="build-page-title">{build.subproject ? `${build.subproject}: ${title}` : title}</h1>
          <p className="muted">
            {triggerText(build)} · {buildRef(build)}
            {build.sha && (
              <>
                {' '}
                · <code>{build.sha.slice(0, 12)}</code>
              </>
            )}{' '}
            · {formatDuration(buildDuration(build, Date.now()))}
          </p>
        </div>
        <StatusBadge status={build.status} />
      </div>
    </>
  );
}

/** A monorepo build's sub-project builds, each linking to its own page. */
function SubprojectLinks({ builds }: { builds: Build[] }) {
  return (
    <section aria-labelledby="subs-heading">
      <h2 id="subs-heading">Sub-projects</h2>
      <ul className="plain-list" aria-label="Sub-project builds">
        {builds.map((child) => (
          <li key={child.id} className="kv-row">
            <a href={href('builds', child.id)}>{child.subproject ?? buildTitle(child)}</a>{' '}
            <StatusBadge status={child.status} />
            {child.error && <span className="muted"> {child.error}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
