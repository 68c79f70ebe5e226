import { registryKindLabels } from '../../../domain/connections';
import type { AutoCiSettings, Service } from '../api/types';
import { href } from '../router';
import { BuildSection } from './build-section';
import type { AutoCiForm, SetAutoCiField } from './form-state';

interface SettingsTabProps {
  service: Service;
  settings: AutoCiSettings;
  form: AutoCiForm;
  set: SetAutoCiField;
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
      <BuildSection service={service} form={form} set={set} />
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
          <dd>{registryKindLabels[registry.kind]}</dd>
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
