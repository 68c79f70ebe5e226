import { useQuery } from '@tanstack/react-query';
import { kiln } from '../api/endpoints';
import type { AutoCiSettings, Service } from '../api/types';
import { Modal } from '../components/modal';
import { QueryState } from '../components/query-state';
import { useIsAdmin } from '../session';
import { AutoCiTabs, autoCiTabs } from './auto-ci-tabs';
import { DetectTab } from './detect-tab';
import { SettingsTab } from './settings-tab';
import { useAutoCiEditor } from './use-auto-ci-editor';
import { WebhookTab } from './webhook-tab';

/** The Auto CI modal: Settings, Detect Services and Webhook tabs; Save writes the settings. */
export function AutoCiModal({ service, onClose }: { service: Service; onClose: () => void }) {
  const settings = useQuery({ queryKey: ['auto-ci', service.id], queryFn: () => kiln.getAutoCi(service.id) });
  return (
    <Modal title={`Auto CI — ${service.name}`} onClose={onClose} wide>
      <QueryState query={settings} what="Auto CI settings">
        {(data) => <AutoCiEditor service={service} settings={data} onClose={onClose} />}
      </QueryState>
    </Modal>
  );
}

function AutoCiEditor(props: { service: Service; settings: AutoCiSettings; onClose: () => void }) {
  const { service, settings } = props;
  const { tab, setTab, form, set, detection, onDetected, submit, save, error, saved } = useAutoCiEditor(
    service,
    settings,
  );
  // The Webhook tab shows the secret, which only organization admins may read.
  const shown = useIsAdmin() ? autoCiTabs : autoCiTabs.filter((t) => t.id !== 'webhook');
  return (
    <>
      <AutoCiTabs shown={shown} current={tab} onSelect={setTab} />
      <div role="tabpanel" id={`autoci-panel-${tab}`} aria-labelledby={`autoci-tab-${tab}`}>
        {tab === 'settings' && <SettingsTab service={service} settings={settings} form={form} set={set} />}
        {tab === 'detect' && (
          <DetectTab
            service={service}
            detection={detection}
            onDetected={onDetected}
            selected={form.subprojects}
            onSelect={(s) => set('subprojects', s)}
            imagePrefix={form.imagePrefix}
          />
        )}
        {tab === 'webhook' && <WebhookTab service={service} saved={saved} />}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions sticky-actions">
        <button type="button" className="secondary" onClick={props.onClose}>
          Close
        </button>
        <button type="button" onClick={submit} disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </>
  );
}
