import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { kiln } from '../api/endpoints';
import type { AutoCiSettings, DetectionResult, Service } from '../api/types';
import { useToast } from '../components/toast';
import type { TabId } from './auto-ci-tabs';
import { toForm, toInput, withDetection, withSavedSecrets } from './form-state';
import type { AutoCiForm } from './form-state';

/**
 * The Auto CI editor's state: the form, the open tab, the last detection, and Save, which refuses a form that
 * does not validate (or a monorepo with no sub-project selected) with a message saying what to fix.
 */
export function useAutoCiEditor(service: Service, settings: AutoCiSettings) {
  const [tab, setTab] = useState<TabId>('settings');
  const [form, setForm] = useState<AutoCiForm>(() => toForm(settings, service.name));
  const [detection, setDetection] = useState<DetectionResult | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [savedHere, setSavedHere] = useState(false);
  const set = <K extends keyof AutoCiForm>(key: K, value: AutoCiForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  useEffect(() => setFormError(null), [form]);
  const save = useSaveAutoCi(service.id, (names) => {
    setForm((f) => withSavedSecrets(f, names));
    setSavedHere(true);
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
    setForm((f) => withDetection(f, result));
  };
  // Every service gets its settings row at creation; a later change means someone saved them since.
  const savedBefore = Date.parse(settings.updatedAt) - Date.parse(service.createdAt) > 1000;
  const error = formError ?? save.error?.message ?? null;
  return { tab, setTab, form, set, detection, onDetected, submit, save, error, saved: savedHere || savedBefore };
}

/** PUT the settings; the answer replaces the cached ones and names the secrets the server now holds. */
function useSaveAutoCi(serviceId: string, onSaved: (secretNames: string[]) => void) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (input: Parameters<typeof kiln.saveAutoCi>[1]) => kiln.saveAutoCi(serviceId, input),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['auto-ci', serviceId], saved);
      onSaved(saved.secretBuildArgNames ?? []);
      await queryClient.invalidateQueries({ queryKey: ['services'] });
      toast('Auto CI settings have been saved');
    },
  });
}
