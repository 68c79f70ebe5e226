import type { V1EnvVar, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { BuildRequest } from '../builder';
import { wizardDockerfileLine } from '../wizard-dockerfile';

/** Keys of the Build Wizard's files in the per-build Secret (mounted into the clone container only). */
export const wizardDockerfileKey = 'wizard-dockerfile';
/** Key of the wizard's .dockerignore in the per-build Secret. */
export const wizardDockerignoreKey = 'wizard-dockerignore';
const wizardDir = '/kiln/wizard';
/**
 * An emptyDir outside the checkout where the clone container puts the Dockerfile BuildKit reads: the
 * repository's own when it has one, else the wizard's. The repository cannot plant a symlink there.
 */
export const chosenDockerfileDir = '/kiln/dockerfile';

/** True when the service stored a Build Wizard Dockerfile ("Use for builds") for this build. */
export function usesWizard(request: BuildRequest): boolean {
  return request.wizardDockerfile != null;
}

/** The wizard's files as per-build Secret data (none when the service has no stored Dockerfile). */
export function wizardSecretData(files: BuildRequest['wizardDockerfile']): Record<string, string> {
  if (!files) return {};
  return {
    [wizardDockerfileKey]: files.dockerfile,
    ...(files.dockerignore === '' ? {} : { [wizardDockerignoreKey]: files.dockerignore }),
  };
}

// Runs after the checkout. `inside` answers a path only when it resolves (symlinks followed) to a regular file
// inside the checkout, as the local builder decides; every write goes to $CHOSEN_DOCKERFILE, never the checkout.
// BuildKit reads `<Dockerfile>.dockerignore` next to the Dockerfile before the context's .dockerignore, so the
// wizard's one is written only when the context has none: a repository's own .dockerignore always wins.
const chooseDockerfileScript = [
  'root="$(realpath "$WORKSPACE")"',
  'inside() { p="$(realpath "$1" 2>/dev/null)" || return 1; case "$p" in "$root"/*) [ -f "$p" ] && printf %s "$p" ;; *) return 1 ;; esac; }',
  'if own="$(inside "$DOCKERFILE")"; then',
  '  cat "$own" > "$CHOSEN_DOCKERFILE/Dockerfile"',
  '  if ignore="$(inside "$DOCKERFILE.dockerignore")"; then cat "$ignore" > "$CHOSEN_DOCKERFILE/Dockerfile.dockerignore"; fi',
  'else',
  `  echo "${wizardDockerfileLine}"`,
  '  cat "$WIZARD_FILES/Dockerfile" > "$CHOSEN_DOCKERFILE/Dockerfile"',
  '  if [ -f "$WIZARD_FILES/dockerignore" ] && ! inside "$BUILD_CONTEXT/.dockerignore" > /dev/null; then',
  '    cat "$WIZARD_FILES/dockerignore" > "$CHOSEN_DOCKERFILE/Dockerfile.dockerignore"',
  '  fi',
  'fi',
];

/** Script lines, env and mounts the clone container gets when the build carries a wizard Dockerfile. */
export function wizardCloneParts(request: BuildRequest, paths: { dockerfile: string; context: string }) {
  if (!usesWizard(request)) return { script: [], env: [] as V1EnvVar[], mounts: [] as V1VolumeMount[] };
  return {
    script: chooseDockerfileScript,
    env: [
      { name: 'DOCKERFILE', value: paths.dockerfile },
      { name: 'BUILD_CONTEXT', value: paths.context },
      { name: 'WIZARD_FILES', value: wizardDir },
      { name: 'CHOSEN_DOCKERFILE', value: chosenDockerfileDir },
    ],
    mounts: [
      { name: 'wizard-files', mountPath: wizardDir, readOnly: true },
      { name: 'chosen-dockerfile', mountPath: chosenDockerfileDir },
    ],
  };
}

/** BuildKit reads the chosen Dockerfile, read-only. */
export function wizardBuildkitMounts(request: BuildRequest): V1VolumeMount[] {
  return usesWizard(request) ? [{ name: 'chosen-dockerfile', mountPath: chosenDockerfileDir, readOnly: true }] : [];
}

/** The wizard's files from the per-build Secret and the emptyDir the chosen Dockerfile goes to. */
export function wizardVolumes(request: BuildRequest, secretName: string): V1Volume[] {
  if (!usesWizard(request)) return [];
  const items = Object.keys(wizardSecretData(request.wizardDockerfile)).map((key) => ({
    key,
    path: key === wizardDockerfileKey ? 'Dockerfile' : 'dockerignore',
  }));
  return [
    { name: 'wizard-files', secret: { secretName, defaultMode: 0o440, items } },
    { name: 'chosen-dockerfile', emptyDir: {} },
  ];
}
