import type { ReactNode } from 'react';
import type { AutoCiSettings, Service } from '../api/types';
import { href } from '../router';
import { BuildArgsEditor } from './build-args-editor';
import { BUILD_PROFILES } from './form-state';
import type { AutoCiForm } from './form-state';

interface SettingsTabProps {
  service: Service;
  settings: AutoCiSettings;
  form: AutoCiForm;
  set: <K extends keyof AutoCiForm>(key: K, value: AutoCiForm[K]) => void;
}

/** Settings: enable, branch filter, registry (read from the service), image, build profile, Dockerfile, args, auto-deploy. */
export function SettingsTab({ service, settings, form, set }: SettingsTabProps) {
  const missing = settings.readiness.missing;
  return (
    <div className="form">
      <label className="check switch">
        <input
          type="checkbox"
          role="switch"
          checked={form.enabled}
          onChange={(e) => set('enabled', e.target.checked)}
          aria-describedby="autoci-enable-help"
        />
        Enable Auto CI
      </label>
      <p id="autoci-enable-help" className="help">
        Push, tag and merge-request webhooks on matching branches start builds (GitHub: push only).
      </p>
      {form.enabled && missing.length > 0 && (
        <div className="note" role="alert">
          Auto CI cannot be enabled yet: {missing.join('; ')}.
        </div>
      )}
      <label htmlFor="autoci-branches">Git branch</label>
      <input
        id="autoci-branches"
        value={form.branches}
        onChange={(e) => set('branches', e.target.value)}
        aria-describedby="autoci-branches-help"
        placeholder="main"
      />
      <p id="autoci-branches-help" className="help">
        One or more branches separated by commas; globs like <code>release/*</code> work. <code>*</code> builds every
        branch push, which can waste resources.
      </p>

      <RegistrySection service={service} settings={settings} form={form} set={set} />
      <BuildSection service={service} settings={settings} form={form} set={set} />
    </div>
  );
}

/** Registry details read from the service, and the image name/prefix. */
function RegistrySection({ service, settings, form, set }: SettingsTabProps) {
  const registry = settings.registry;
  return (
    <>
      <h3>Registry</h3>
      {registry ? (
        <dl className="facts">
          <dt>Registry URL</dt>
          <dd>{registry.url}</dd>
          <dt>Registry type</dt>
          <dd>
            {registry.kind === 'dockerhub' ? 'Docker Hub' : registry.kind === 'harbor' ? 'Harbor' : 'OCI registry'}
          </dd>
          <dt>Project/Namespace</dt>
          <dd>{registry.project}</dd>
          <dt>Images</dt>
          <dd>{settings.imageRepositories.join(', ') || '—'}</dd>
        </dl>
      ) : (
        <p className="note">
          No registry on this service. <a href={href('services', service.id, 'settings')}>Open the service settings</a>{' '}
          and choose one first.
        </p>
      )}
      <div className="grid-2">
        <div>
          <label htmlFor="autoci-image">Image name</label>
          <input
            id="autoci-image"
            value={form.imageName}
            placeholder={service.name}
            onChange={(e) => set('imageName', e.target.value)}
          />
          <p className="help">Defaults to the service name.</p>
        </div>
        <div>
          <label htmlFor="autoci-prefix">Image prefix (monorepos)</label>
          <input
            id="autoci-prefix"
            value={form.imagePrefix}
            placeholder="e.g. shop-"
            onChange={(e) => set('imagePrefix', e.target.value)}
          />
          <p className="help">Prepended to each sub-project: shop- + backend → shop-backend.</p>
        </div>
      </div>
    </>
  );
}

/** Build profile, Dockerfile path, build arguments and auto-deploy. */
function BuildSection({ service, form, set }: SettingsTabProps) {
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
