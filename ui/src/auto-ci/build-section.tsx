import type { ReactNode } from 'react';
import type { Service } from '../api/types';
import { BuildArgsEditor } from './build-args-editor';
import { BUILD_PROFILES } from './form-state';
import type { AutoCiForm, SetAutoCiField } from './form-state';

interface BuildSectionProps {
  service: Service;
  form: AutoCiForm;
  set: SetAutoCiField;
}

/** Build profile, Dockerfile path, build arguments, what triggers or cancels builds, and auto-deploy. */
export function BuildSection({ service, form, set }: BuildSectionProps) {
  return (
    <>
      <h3>Build</h3>
      <div className="grid-2">
        <div>
          <label htmlFor="autoci-profile">Build profile</label>
          <select
            id="autoci-profile"
            value={form.buildProfile}
            onChange={(e) => set('buildProfile', e.target.value as AutoCiForm['buildProfile'])}
          >
            {BUILD_PROFILES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.value} — {p.hint}
              </option>
            ))}
          </select>
          <p className="help">Start with auto; if a build runs out of memory or takes too long, go one step up.</p>
        </div>
        <div>
          <label htmlFor="autoci-dockerfile">Dockerfile path</label>
          <input
            id="autoci-dockerfile"
            value={form.dockerfilePath}
            onChange={(e) => set('dockerfilePath', e.target.value)}
            placeholder="Dockerfile"
          />
        </div>
      </div>
      <BuildArgsEditor rows={form.args} onChange={(rows) => set('args', rows)} />
      <BuildBehaviourToggles form={form} set={set} />
      <AutoDeployField service={service} form={form} set={set} />
    </>
  );
}

/** What builds (changed sub-projects, forks, drafts), whether a newer push cancels one, and submodules. */
function BuildBehaviourToggles({ form, set }: Omit<BuildSectionProps, 'service'>) {
  return (
    <>
      <Toggle id="autoci-changed-only" checked={form.buildChangedOnly} onChange={(v) => set('buildChangedOnly', v)}>
        Monorepos: build only the sub-projects a push changed
      </Toggle>
      <Toggle id="autoci-supersede" checked={form.supersedeRunning} onChange={(v) => set('supersedeRunning', v)}>
        A newer push to the same branch cancels the running build
      </Toggle>
      <Toggle id="autoci-submodules" checked={form.submodules} onChange={(v) => set('submodules', v)}>
        Clone git submodules
      </Toggle>
      <Toggle
        id="autoci-fork-mrs"
        checked={form.buildForkMergeRequests}
        onChange={(v) => set('buildForkMergeRequests', v)}
      >
        Build merge requests and pull requests from forks
      </Toggle>
      <p className="help warning">
        A fork&apos;s author chooses the code and Dockerfile that run in Kiln&apos;s builder and push to your registry.
        Fork builds get no secret build args, are tagged <code>mr-&lt;iid&gt;</code> or <code>pr-&lt;n&gt;</code> and
        never deploy. Only organization admins can change this.
      </p>
      <Toggle
        id="autoci-draft-prs"
        checked={form.buildDraftPullRequests}
        onChange={(v) => set('buildDraftPullRequests', v)}
      >
        Build draft pull requests (GitHub)
      </Toggle>
      <p className="help">
        Off: a draft builds once it is marked ready for review. Pull request builds are tagged <code>pr-&lt;n&gt;</code>
        , never deploy, and a closed pull request cancels its running build.
      </p>
    </>
  );
}

/** Auto-deploy, with where it deploys (or what it still needs) and the pull Secret a save creates. */
function AutoDeployField({ service, form, set }: BuildSectionProps) {
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          checked={form.autoDeploy}
          onChange={(e) => set('autoDeploy', e.target.checked)}
          aria-describedby="autoci-deploy-help"
        />
        Auto-deploy successful builds to Kubernetes
      </label>
      <p id="autoci-deploy-help" className="help">
        {service.clusterId
          ? `Deploys to namespace ${service.deployNamespace}.`
          : 'Needs a Kubernetes cluster on the service.'}{' '}
        Saving also creates the image-pull Secret {service.name}-registry-cred.
      </p>
    </>
  );
}

function Toggle(props: { id: string; checked: boolean; onChange: (value: boolean) => void; children: ReactNode }) {
  return (
    <label className="check" htmlFor={props.id}>
      <input id={props.id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      {props.children}
    </label>
  );
}
