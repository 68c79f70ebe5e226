import path from 'node:path';
import type { V1Container, V1Volume } from '@kubernetes/client-node';
import type { BuildRequest } from '../builder';
import { originOf } from '../../domain/credentials';
import { originBoundHelper, originVariable } from '../../git/git-credential-helper';
import { chosenDockerfileDir, usesWizard, wizardBuildkitMounts, wizardCloneParts, wizardVolumes } from './wizard-files';
import { BuildErrorType, buildFailure } from '../../domain/build-error';

const workspace = '/workspace';
const gitCredentialsDir = '/kiln/git';
const dockerConfigDir = '/kiln/docker';
const buildSecretsDir = '/kiln/build-secrets';
/** Key of a secret build arg in the per-build Secret (prefixed so it cannot collide with the credentials). */
export const buildSecretKey = (name: string) => `build-secret.${name}`;
/** BuildKit's rootless image runs as uid/gid 1000 (`user`). */
export const rootlessUser = 1000;
const dropAll = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

// The token never reaches argv or env values: git asks this inline credential helper, which reads the
// mounted Secret files, and only for the repository's own origin (a redirect elsewhere gets nothing). Paths
// arrive through env so the script holds no secret and no fixed layout.
const answerFromFiles =
  'printf "username=%s\\npassword=%s\\n" "$(cat "$GIT_CREDENTIALS/git-username")" "$(cat "$GIT_CREDENTIALS/git-token")"';
const cloneScript = [
  'set -eu',
  'helper=""',
  'if [ -f "$GIT_CREDENTIALS/git-token" ]; then',
  `  helper='!f() { ${originBoundHelper(answerFromFiles)}; }; f'`,
  'fi',
  'cd "$WORKSPACE"',
  'git init -q .',
  'echo "Fetching $GIT_SHA from $REPOSITORY_URL"',
  'git -c credential.helper= -c credential.helper="$helper" fetch -q --depth 1 "$REPOSITORY_URL" "$GIT_SHA"',
  'git -c advice.detachedHead=false checkout -q FETCH_HEAD',
  'echo "Checked out $(git rev-parse HEAD)"',
];

/** A path inside the repository; `..` or absolute paths would let a build read outside its checkout. */
function repoPath(value: string, what: string): string {
  const normalized = path.posix.normalize(value.replace(/^\.\/+/, '') || '.');
  if (path.posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../')) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      `The ${what} "${value}" points outside the repository. Use a path relative to the repository root.`,
    );
  }
  return normalized === '.' ? workspace : `${workspace}/${normalized}`;
}

/** BuildKit CSV values: a value holding a comma is quoted whole (`"name=a,b"`). */
function csv(fields: string[]): string {
  return fields.map((field) => (field.includes(',') ? `"${field}"` : field)).join(',');
}

/** `buildctl build` arguments: dockerfile frontend, build args, push of every image name, registry cache. */
export function buildctlArgs(request: BuildRequest): string[] {
  const insecure = request.registry.insecure ? ['registry.insecure=true'] : [];
  const dockerfileDir = repoPath(path.posix.dirname(request.dockerfilePath), 'Dockerfile path');
  const args = [
    'build',
    '--frontend',
    'dockerfile.v0',
    '--local',
    `context=${repoPath(request.contextPath, 'build context')}`,
  ];
  // With a Build Wizard Dockerfile the clone container has put the one to use (the repository's own first) apart.
  const [dockerfileLocal, filename] = usesWizard(request)
    ? [chosenDockerfileDir, 'Dockerfile']
    : [dockerfileDir, path.posix.basename(request.dockerfilePath)];
  args.push('--local', `dockerfile=${dockerfileLocal}`, '--opt', `filename=${filename}`);
  for (const [key, value] of Object.entries(request.buildArgs)) args.push('--opt', `build-arg:${key}=${value}`);
  // Secret build args are files of the mounted Secret: argv names only the path, never the value.
  for (const name of secretNames(request)) args.push('--secret', `id=${name},src=${buildSecretsDir}/${name}`);
  args.push('--output', csv(['type=image', `name=${request.images.join(',')}`, 'push=true', ...insecure]));
  if (request.cacheRef) {
    args.push('--export-cache', csv(['type=registry', `ref=${request.cacheRef}`, 'mode=max', ...insecure]));
    args.push('--import-cache', csv(['type=registry', `ref=${request.cacheRef}`, ...insecure]));
  }
  args.push('--progress', 'plain');
  return args;
}

/** The init container: fetches exactly the build's commit into the shared workspace, as uid 1000. */
export function cloneContainer(request: BuildRequest, image: string): V1Container {
  const wizard = wizardCloneParts(request, {
    dockerfile: repoPath(request.dockerfilePath, 'Dockerfile path'),
    context: repoPath(request.contextPath, 'build context'),
  });
  return {
    name: 'clone',
    image,
    command: ['sh', '-c', [...cloneScript, ...wizard.script].join('\n')],
    env: [
      { name: 'REPOSITORY_URL', value: request.source.repositoryUrl },
      { name: originVariable, value: originOf(request.source.repositoryUrl) ?? '' },
      { name: 'GIT_SHA', value: request.source.sha },
      { name: 'WORKSPACE', value: workspace },
      { name: 'GIT_CREDENTIALS', value: gitCredentialsDir },
      { name: 'GIT_TERMINAL_PROMPT', value: '0' },
      { name: 'HOME', value: '/tmp' },
      ...wizard.env,
    ],
    securityContext: { ...dropAll, runAsUser: rootlessUser, runAsGroup: rootlessUser, runAsNonRoot: true },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts: [
      { name: 'workspace', mountPath: workspace },
      { name: 'git-credentials', mountPath: gitCredentialsDir, readOnly: true },
      ...wizard.mounts,
    ],
  };
}

/** Rootless BuildKit, daemonless: builds from the workspace and pushes with the mounted docker config. */
export function buildkitContainer(request: BuildRequest, image: string): V1Container {
  const { cpu, memoryMiB } = request.resources;
  // Requests equal limits: a build gets exactly its profile, so the scheduler's answer is honest.
  const size = { cpu: String(cpu), memory: `${memoryMiB}Mi` };
  return {
    name: 'buildkit',
    image,
    command: ['buildctl-daemonless.sh'],
    args: buildctlArgs(request),
    env: [
      { name: 'BUILDKITD_FLAGS', value: '--oci-worker-no-process-sandbox' },
      { name: 'DOCKER_CONFIG', value: dockerConfigDir },
    ],
    securityContext: {
      seccompProfile: { type: 'Unconfined' },
      appArmorProfile: { type: 'Unconfined' },
      runAsUser: rootlessUser,
      runAsGroup: rootlessUser,
    },
    resources: { requests: size, limits: size },
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts: [
      { name: 'workspace', mountPath: workspace, readOnly: true },
      { name: 'docker-config', mountPath: dockerConfigDir, readOnly: true },
      { name: 'buildkitd', mountPath: '/home/user/.local/share/buildkit' },
      ...(secretNames(request).length > 0
        ? [{ name: 'build-secrets', mountPath: buildSecretsDir, readOnly: true }]
        : []),
      ...wizardBuildkitMounts(request),
    ],
  };
}

/** The workspace and BuildKit state (emptyDirs) and the two views of the per-build credentials Secret. */
export function buildVolumes(request: BuildRequest, secretName: string): V1Volume[] {
  return [
    { name: 'workspace', emptyDir: {} },
    { name: 'buildkitd', emptyDir: {} },
    {
      name: 'git-credentials',
      secret: { secretName: secretName, defaultMode: 0o440, optional: false, items: gitItems(request) },
    },
    {
      name: 'docker-config',
      secret: {
        secretName: secretName,
        defaultMode: 0o440,
        items: [{ key: 'config.json', path: 'config.json' }],
      },
    },
    ...buildSecretVolume(request, secretName),
    ...wizardVolumes(request, secretName),
  ];
}

/** The secret build args as files for BuildKit only (a Secret volume with no items would mount every key). */
function buildSecretVolume(request: BuildRequest, secretName: string): V1Volume[] {
  const names = secretNames(request);
  if (names.length === 0) return [];
  const items = names.map((name) => ({ key: buildSecretKey(name), path: name }));
  return [{ name: 'build-secrets', secret: { secretName, defaultMode: 0o440, items } }];
}

function secretNames(request: BuildRequest): string[] {
  return Object.keys(request.secretBuildArgs ?? {});
}

function gitItems(request: BuildRequest): { key: string; path: string }[] {
  const items = [{ key: 'git-username', path: 'git-username' }];
  if (request.source.token) items.push({ key: 'git-token', path: 'git-token' });
  return items;
}
