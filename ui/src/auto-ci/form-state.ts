import { buildProfiles, describeBuildProfile, type BuildProfile } from '../../../domain/build-profile';
import type { AutoCiSettings, DetectionResult, Input, SubprojectSetting } from '../api/types';

/** A build-arg row as edited (rows may be blank or duplicated until saved). */
export interface ArgRow {
  key: string;
  value: string;
  /** Passed to the build as a build secret (`RUN --mount=type=secret,id=NAME`), never as an ARG. */
  secret?: boolean;
  /** A secret the server holds: its value is never sent to the browser, only replaced or removed. */
  stored?: boolean;
  /** A stored secret whose value is being replaced by `value`. */
  replacing?: boolean;
}

/** The Auto CI form as the user edits it. */
export interface AutoCiForm {
  enabled: boolean;
  branches: string;
  buildProfile: BuildProfile;
  dockerfilePath: string;
  args: ArgRow[];
  /** Secret build-arg names the server held when the form was loaded (a removed row deletes the secret). */
  storedSecrets: string[];
  autoDeploy: boolean;
  imageName: string;
  imagePrefix: string;
  subprojects: SubprojectSetting[];
  buildChangedOnly: boolean;
  supersedeRunning: boolean;
  submodules: boolean;
  buildForkMergeRequests: boolean;
  buildDraftPullRequests: boolean;
}

/** Sets one field of the form. */
export type SetAutoCiField = <K extends keyof AutoCiForm>(key: K, value: AutoCiForm[K]) => void;

/** What `auto` picks each profile for, in the README's words (domain/build-profile.ts gives CPU, memory and time). */
const profileUse: Record<BuildProfile, string> = {
  auto: 'picked from what Detect found',
  small: 'static sites, or nothing recognised',
  medium: 'Node.js, Python, Go, Ruby and PHP services',
  large: 'React, Next.js, Vue, Nuxt, Angular, Svelte frontends; monorepos',
  'extra-large': 'Java/Kotlin, Rust and .NET',
  '2x-large': 'monorepos one step above their largest sub-project',
  '4x-large': 'very large monorepos (more than 8 sub-projects)',
};

/** Build profiles from smallest to largest, as the product page lists them. */
export const BUILD_PROFILES: { value: BuildProfile; hint: string }[] = buildProfiles.map((value) => ({
  value,
  hint: value === 'auto' ? profileUse.auto : `${describeBuildProfile(value)}: ${profileUse[value]}`,
}));

/** Server settings → form. */
export function toForm(settings: AutoCiSettings, serviceName: string): AutoCiForm {
  return {
    enabled: settings.enabled,
    branches: settings.branchFilter.join(', '),
    buildProfile: settings.buildProfile,
    dockerfilePath: settings.dockerfilePath,
    args: [
      ...Object.entries(settings.buildArgs).map(([key, value]) => ({ key, value })),
      ...storedSecretRows(settings.secretBuildArgNames),
    ],
    storedSecrets: settings.secretBuildArgNames,
    autoDeploy: settings.autoDeploy,
    imageName: settings.imageName === serviceName ? '' : settings.imageName,
    imagePrefix: settings.imagePrefix ?? '',
    subprojects: settings.subprojects,
    buildChangedOnly: settings.buildChangedOnly,
    supersedeRunning: settings.supersedeRunning,
    submodules: settings.submodules,
    buildForkMergeRequests: settings.buildForkMergeRequests,
    buildDraftPullRequests: settings.buildDraftPullRequests,
  };
}

/** Form → the body of `PUT /services/{id}/auto-ci`, or a message saying what to fix. */
export function toInput(form: AutoCiForm): { input: Input['saveAutoCi'] } | { error: string } {
  const branchFilter = form.branches
    .split(/[,\n]/)
    .map((b) => b.trim())
    .filter(Boolean);
  if (branchFilter.length === 0) return { error: 'Enter at least one branch (or * for every branch).' };
  const args = argsInput(form);
  if ('error' in args) return args;
  const { buildArgs, secretBuildArgs } = args;
  return {
    input: {
      enabled: form.enabled,
      branchFilter,
      buildProfile: form.buildProfile,
      dockerfilePath: form.dockerfilePath.trim() || 'Dockerfile',
      buildArgs,
      ...(Object.keys(secretBuildArgs).length > 0 ? { secretBuildArgs } : {}),
      autoDeploy: form.autoDeploy,
      imageName: form.imageName.trim() || null,
      imagePrefix: form.imagePrefix.trim() || null,
      subprojects: form.subprojects,
      buildChangedOnly: form.buildChangedOnly,
      supersedeRunning: form.supersedeRunning,
      submodules: form.submodules,
      buildForkMergeRequests: form.buildForkMergeRequests,
      buildDraftPullRequests: form.buildDraftPullRequests,
    },
  };
}

function storedSecretRows(names: string[]): ArgRow[] {
  return names.map((key) => ({ key, value: '', secret: true, stored: true }));
}

/** Plain args, and the secret changes: removed stored secrets become null, new or replaced values are sent. */
function argsInput(
  form: AutoCiForm,
): { buildArgs: Record<string, string>; secretBuildArgs: Record<string, string | null> } | { error: string } {
  const buildArgs: Record<string, string> = {};
  const secretBuildArgs: Record<string, string | null> = {};
  const kept = new Set(form.args.filter((row) => row.stored).map((row) => row.key));
  for (const name of form.storedSecrets) if (!kept.has(name)) secretBuildArgs[name] = null;
  const seen = new Set<string>();
  for (const row of form.args) {
    const key = row.key.trim();
    if (!key && !row.value && !row.stored) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      return { error: `Build argument name "${key}" must be an identifier like NODE_ENV.` };
    if (seen.has(key)) return { error: `Build argument ${key} appears twice; keep one.` };
    seen.add(key);
    if (!row.secret) buildArgs[key] = row.value;
    else if (!row.stored || row.replacing) {
      if (row.value.length < 4)
        return { error: `Secret build argument ${key} needs a value of at least 4 characters.` };
      secretBuildArgs[key] = row.value;
    }
  }
  return { buildArgs, secretBuildArgs };
}

/** After a save: secret values leave the form, every secret the server now holds shows as a stored row. */
export function withSavedSecrets(form: AutoCiForm, names: string[]): AutoCiForm {
  return {
    ...form,
    args: [...form.args.filter((row) => !row.secret), ...storedSecretRows(names)],
    storedSecrets: names,
  };
}

/**
 * After Detect Services: a monorepo with nothing selected yet starts with its sub-projects selected (those with a
 * Dockerfile, or all when none has one yet); a single repository's found Dockerfile replaces the default path.
 */
export function withDetection(form: AutoCiForm, result: DetectionResult): AutoCiForm {
  if (result.buildType === 'mono' && form.subprojects.length === 0) {
    const withDockerfile = result.subprojects.filter((s) => s.dockerfilePath);
    const chosen = withDockerfile.length > 0 ? withDockerfile : result.subprojects;
    const subprojects = chosen.map((s) => ({
      name: s.name,
      path: s.path,
      dockerfilePath: s.dockerfilePath ?? `${s.path}/Dockerfile`,
    }));
    return { ...form, subprojects };
  }
  if (result.buildType === 'single' && result.dockerfilePath && form.dockerfilePath === 'Dockerfile')
    return { ...form, dockerfilePath: result.dockerfilePath };
  return form;
}
