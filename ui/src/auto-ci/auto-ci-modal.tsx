import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { kiln } from '../api/endpoints';
import type { AutoCiSettings, DetectionResult, Service } from '../api/types';
import { Modal } from '../components/modal';
import { QueryState } from '../components/query-state';
import { useToast } from '../components/toast';
import { useIsAdmin } from '../session';
import { DetectTab } from './detect-tab';
import { toForm, toInput, withSavedSecrets } from './form-state';
import type { AutoCiForm } from './form-state';
import { SettingsTab } from './settings-tab';
import { WebhookTab } from './webhook-tab';

const tabs = [
  { id: 'settings', label: 'Settings' },
  { id: 'detect', label: 'Detect Services' },
  { id: 'webhook', label: 'Webhook' },
] as const;
type TabId = (typeof tabs)[number]['id'];

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

function AutoCiEditor({
  service,
  settings,
  onClose,
}: {
  service: Service;
  settings: AutoCiSettings;
  onClose: () => void;
}) {
  // The Webhook tab shows the secret, which only organization admins may read.
  const visibleTabs = useIsAdmin() ? tabs : tabs.filter((t) => t.id !== 'webhook');
  const [tab, setTab] = useState<TabId>('settings');
  const [form, setForm] = useState<AutoCiForm>(() => toForm(settings, service.name));
  const [detection, setDetection] = useState<DetectionResult | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [savedHere, setSavedHere] = useState(false);
  // Every service gets its settings row at creation; a later change means someone saved them since.
  const savedBefore = Date.parse(settings.updatedAt) - Date.parse(service.createdAt) > 1000;
  const queryClient = useQueryClient();
  const toast = useToast();
  const set = <K extends keyof AutoCiForm>(key: K, value: AutoCiForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  useEffect(() => setFormError(null), [form]);
  const save = useMutation({
    mutationFn: (input: Parameters<typeof kiln.saveAutoCi>[1]) => kiln.saveAutoCi(service.id, input),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['auto-ci', service.id], saved);
      setForm((f) => withSavedSecrets(f, saved.secretBuildArgNames ?? []));
      setSavedHere(true);
      await queryClient.invalidateQueries({ queryKey: ['services'] });
      toast('Auto CI settings have been saved');
    },
  });
  const submit = () => {
    const result = toInput(form);
    if ('error' in result) setFormError(result.error);
    else if (detection?.buildType === 'mono' && form.subprojects.length === 0) {
      // A monorepo saved with nothing selected would fail every push with "Dockerfile not found".
      setFormError('This repository is a monorepo: select at least one sub-project to build in Detect Services.');
      setTab('detect');
    } else save.mutate(result.input);
  };
  const onDetected = (result: DetectionResult) => {
    setDetection(result);
    // Detected sub-projects start selected (those with a Dockerfile, or all when none has one yet).
    if (result.buildType === 'mono' && form.subprojects.length === 0) {
      const withDockerfile = result.subprojects.filter((s) => s.dockerfilePath);
      const chosen = withDockerfile.length > 0 ? withDockerfile : result.subprojects;
      set(
        'subprojects',
        chosen.map((s) => ({ name: s.name, path: s.path, dockerfilePath: s.dockerfilePath ?? `${s.path}/Dockerfile` })),
      );
    }
    if (result.buildType === 'single' && result.dockerfilePath && form.dockerfilePath === 'Dockerfile')
      set('dockerfilePath', result.dockerfilePath);
  };
  const error = formError ?? save.error?.message ?? null;
  return (
    <>
      <div className="tabs" role="tablist" aria-label="Auto CI sections">
        {visibleTabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`autoci-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`autoci-panel-${t.id}`}
            className="tab"
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => onTabKey(e.key, visibleTabs, tab, setTab)}
            tabIndex={tab === t.id ? 0 : -1}
          >
            {t.label}
          </button>
        ))}
      </div>
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
        {tab === 'webhook' && <WebhookTab service={service} saved={savedHere || savedBefore} />}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions sticky-actions">
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
        <button type="button" onClick={submit} disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </>
  );
}

/** Arrow keys move between tabs (WAI-ARIA tabs pattern). */
function onTabKey(key: string, shown: readonly (typeof tabs)[number][], current: TabId, setTab: (t: TabId) => void) {
  const index = shown.findIndex((t) => t.id === current);
  const next = key === 'ArrowRight' ? index + 1 : key === 'ArrowLeft' ? index - 1 : null;
  if (next === null) return;
  const target = shown[(next + shown.length) % shown.length]!;
  setTab(target.id);
  document.getElementById(`autoci-tab-${target.id}`)?.focus();
}
