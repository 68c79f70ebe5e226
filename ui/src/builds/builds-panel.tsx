import { useEffect, useMemo, useState } from 'react';
import type { Build, Service } from '../api/types';
import { QueryState } from '../components/query-state';
import { navigate } from '../router';
import { BuildRow } from './build-row';
import { isActive } from './format';
import { useBuildActions, useBuilds } from './queries';
import { TriggerBuildDialog } from './trigger-build-dialog';

/** The Builds tab: Trigger Build, and the live list of builds with their sub-project builds and logs. */
export function BuildsPanel({ service, openBuildId }: { service: Service; openBuildId: string | undefined }) {
  const builds = useBuilds(service.id);
  const actions = useBuildActions(service.id);
  const [triggering, setTriggering] = useState(false);
  const now = useNow(builds.data?.items.some(isActive) ?? false);
  return (
    <>
      <div className="toolbar">
        <h2>Builds</h2>
        <span className="spacer" />
        <button type="button" onClick={() => setTriggering(true)}>
          Trigger Build
        </button>
      </div>
      <QueryState query={builds} what="builds">
        {(page) => (
          <>
            <BuildList
              items={page.items}
              now={now}
              openBuildId={openBuildId}
              onToggle={(id) =>
                id === openBuildId
                  ? navigate('services', service.id, 'builds')
                  : navigate('services', service.id, 'builds', id)
              }
              onCancel={(id) => actions.cancel.mutate(id)}
              onRetry={(id) => actions.retry.mutate(id)}
              busy={actions.cancel.isPending || actions.retry.isPending}
            />
            {page.total != null && page.total > page.items.length && (
              <p className="help">
                Showing the newest {page.items.length} of {page.total} builds and sub-project builds.
              </p>
            )}
          </>
        )}
      </QueryState>
      {triggering && <TriggerBuild service={service} trigger={actions.trigger} onClose={() => setTriggering(false)} />}
    </>
  );
}

/** The Trigger Build dialog: a started build closes it and opens that build's log. */
function TriggerBuild({
  service,
  trigger,
  onClose,
}: {
  service: Service;
  trigger: ReturnType<typeof useBuildActions>['trigger'];
  onClose: () => void;
}) {
  return (
    <TriggerBuildDialog
      defaultBranch={service.defaultBranch || 'main'}
      busy={trigger.isPending}
      error={trigger.error?.message ?? null}
      onClose={onClose}
      onSubmit={(branch) =>
        trigger.mutate(branch, {
          onSuccess: (build) => {
            onClose();
            navigate('services', service.id, 'builds', build.id);
          },
        })
      }
    />
  );
}

function BuildList(props: {
  items: Build[];
  now: number;
  openBuildId: string | undefined;
  onToggle: (id: string) => void;
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
  busy: boolean;
}) {
  const { top, children } = useMemo(() => groupBuilds(props.items), [props.items]);
  if (top.length === 0)
    return <p className="empty card">No builds yet. Trigger one, or push to a branch Auto CI watches.</p>;
  return (
    <ul className="build-list" aria-label="Builds">
      {top.map((build) => (
        <BuildRow
          key={build.id}
          build={build}
          subBuilds={children.get(build.id) ?? []}
          expanded={props.openBuildId === build.id}
          now={props.now}
          onToggle={() => props.onToggle(build.id)}
          onCancel={props.onCancel}
          onRetry={props.onRetry}
          busy={props.busy}
        />
      ))}
    </ul>
  );
}

/** Splits monorepo sub-project builds from the top-level builds that own them. */
export function groupBuilds(items: Build[]) {
  const children = new Map<string, Build[]>();
  const top: Build[] = [];
  for (const build of items) {
    if (build.parentBuildId) children.set(build.parentBuildId, [...(children.get(build.parentBuildId) ?? []), build]);
    else top.push(build);
  }
  return { top, children };
}

/** The current time, ticking every second while something runs (for live durations). */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
