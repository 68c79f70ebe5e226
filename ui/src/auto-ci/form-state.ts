import type { AutoCiInput, AutoCiSettings, BuildProfile, SubprojectSetting } from '../api/types';

/** A build-arg row as edited (rows may be blank or duplicated until saved). */
export interface ArgRow {
  key: string;
  value: string;
}

/** The Auto CI form as the user edits it. */
export interface AutoCiForm {
  enabled: boolean;
  branches: string;
  buildProfile: BuildProfile;
  dockerfilePath: string;
  args: ArgRow[];
  autoDeploy: boolean;
  imageName: string;
  imagePrefix: string;
  subprojects: SubprojectSetting[];
  buildChangedOnly: boolean;
  supersedeRunning: boolean;
  submodules: boolean;
}

/** Build profiles from smallest to largest, as the product page lists them. */
export const BUILD_PROFILES: { value: BuildProfile; hint: string }[] = [
  { value: 'auto', hint: 'chosen from the detection result' },
  { value: 'small', hint: 'static sites, simple scripts' },
  { value: 'medium', hint: 'typical Node.js/Python/Go APIs' },
  { value: 'large', hint: 'large frontends, one monorepo service' },
  { value: 'extra-large', hint: 'large monorepos' },
  { value: '2x-large', hint: 'heavy Java/native builds' },
  { value: '4x-large', hint: 'the heaviest builds' },
];

/** Server settings → form. */
export function toForm(settings: AutoCiSettings, serviceName: string): AutoCiForm {
  return {
    enabled: settings.enabled,
    branches: settings.branchFilter.join(', '),
    buildProfile: settings.buildProfile,
    dockerfilePath: settings.dockerfilePath,
    args: Object.entries(settings.buildArgs).map(([key, value]) => ({ key, value })),
    autoDeploy: settings.autoDeploy,
    imageName: settings.imageName === serviceName ? '' : settings.imageName,
    imagePrefix: settings.imagePrefix ?? '',
    subprojects: settings.subprojects,
    buildChangedOnly: settings.buildChangedOnly ?? false,
    supersedeRunning: settings.supersedeRunning ?? false,
    submodules: settings.submodules ?? false,
  };
}

/** Form → the body of `PUT /services/{id}/auto-ci`, or a message saying what to fix. */
export function toInput(form: AutoCiForm): { input: AutoCiInput } | { error: string } {
  const branchFilter = form.branches
    .split(/[,\n]/)
    .map((b) => b.trim())
    .filter(Boolean);
  if (branchFilter.length === 0) return { error: 'Enter at least one branch (or * for every branch).' };
  const buildArgs: Record<string, string> = {};
  for (const row of form.args) {
    const key = row.key.trim();
    if (!key && !row.value) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      return { error: `Build argument name "${key}" must be an identifier like NODE_ENV.` };
    if (key in buildArgs) return { error: `Build argument ${key} appears twice; keep one.` };
    buildArgs[key] = row.value;
  }
  return {
    input: {
      enabled: form.enabled,
      branchFilter,
      buildProfile: form.buildProfile,
      dockerfilePath: form.dockerfilePath.trim() || 'Dockerfile',
      buildArgs,
      autoDeploy: form.autoDeploy,
      imageName: form.imageName.trim() || null,
      imagePrefix: form.imagePrefix.trim() || null,
      subprojects: form.subprojects,
      buildChangedOnly: form.buildChangedOnly,
      supersedeRunning: form.supersedeRunning,
      submodules: form.submodules,
    },
  };
}
