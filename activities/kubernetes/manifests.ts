import path from 'node:path';
import type { V1Pod, V1Toleration } from '@kubernetes/client-node';
import type { BuildRequest } from '../builders/builder';
import { BuildErrorType, buildFailure } from '../errors';

/** Labels every object Kiln creates carries, so `kubectl get -l app.kubernetes.io/managed-by=kiln` finds them. */
export const managedBy = { 'app.kubernetes.io/managed-by': 'kiln' } as const;
export const buildIdLabel = 'kiln.dev/build-id';

const workspace = '/workspace';
const gitCredentialsDir = '/kiln/git';
const dockerConfigDir = '/kiln/docker';
const rootlessUser = 1000;

/** Pod and Secret names for a build: DNS labels, unique per build id. */
export function buildObjectNames(buildId: string): { pod: string; secret: string } {
  const id =
    buildId
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'build';
  return { pod: `kiln-build-${id}`, secret: `kiln-build-${id}-creds` };
}

/** Label values are at most 63 characters of `[A-Za-z0-9._-]`. */
export function labelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

// The token never reaches argv or env values: git asks this inline credential helper, which reads the
// mounted Secret files. Paths arrive through env so the script holds no secret and no fixed layout.
const cloneScript = [
  'set -eu',
  'helper=""',
  'if [ -f "$GIT_CREDENTIALS/git-token" ]; then',
  '  helper=\'!f() { test "$1" = get || exit 0; printf "username=%s\\npassword=%s\\n" "$(cat "$GIT_CREDENTIALS/git-username")" "$(cat "$GIT_CREDENTIALS/git-token")"; }; f\'',
  'fi',
  'cd "$WORKSPACE"',
  'git init -q .',
  'echo "Fetching $GIT_SHA from $REPOSITORY_URL"',
  'git -c credential.helper= -c credential.helper="$helper" fetch -q --depth 1 "$REPOSITORY_URL" "$GIT_SHA"',
  'git -c advice.detachedHead=false checkout -q FETCH_HEAD',
  'echo "Checked out $(git rev-parse HEAD)"',
].join('\n');

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
  args.push(
    '--local',
    `dockerfile=${dockerfileDir}`,
    '--opt',
    `filename=${path.posix.basename(request.dockerfilePath)}`,
  );
  for (const [key, value] of Object.entries(request.buildArgs)) args.push('--opt', `build-arg:${key}=${value}`);
  args.push('--output', csv(['type=image', `name=${request.images.join(',')}`, 'push=true', ...insecure]));
  if (request.cacheRef) {
    args.push('--export-cache', csv(['type=registry', `ref=${request.cacheRef}`, 'mode=max', ...insecure]));
    args.push('--import-cache', csv(['type=registry', `ref=${request.cacheRef}`, ...insecure]));
  }
  args.push('--progress', 'plain');
  return args;
}

/** Where build pods run and what they are made of; chosen once per cluster. */
export interface BuildPodOptions {
  namespace: string;
  buildkitImage: string;
  gitImage: string;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
}

const dropAll = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

/**
 * One build as a Pod: an init container fetches exactly `sha` into an emptyDir, then rootless BuildKit
 * (daemonless) builds and pushes. Settings follow BuildKit's rootless Kubernetes examples: seccomp and AppArmor
 * unconfined, uid 1000, `--oci-worker-no-process-sandbox`. No service-account token is mounted.
 */
export function buildPodManifest(request: BuildRequest, options: BuildPodOptions): V1Pod {
  const names = buildObjectNames(request.buildId);
  const { cpu, memoryMiB, timeoutSeconds, profile } = request.resources;
  const resources = {
    requests: { cpu: String(cpu), memory: `${memoryMiB}Mi` },
    limits: { cpu: String(cpu), memory: `${memoryMiB}Mi` },
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: names.pod,
      namespace: options.namespace,
      labels: {
        ...managedBy,
        'app.kubernetes.io/name': 'kiln-build',
        'app.kubernetes.io/component': 'build',
        [buildIdLabel]: labelValue(request.buildId),
        'kiln.dev/build-profile': profile,
      },
      annotations: {
        [buildIdLabel]: request.buildId,
        'kiln.dev/commit': request.source.sha,
        'container.apparmor.security.beta.kubernetes.io/buildkit': 'unconfined',
      },
    },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      activeDeadlineSeconds: timeoutSeconds,
      securityContext: { fsGroup: rootlessUser },
      ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
      ...(options.tolerations ? { tolerations: options.tolerations } : {}),
      initContainers: [
        {
          name: 'clone',
          image: options.gitImage,
          command: ['sh', '-c', cloneScript],
          env: [
            { name: 'REPOSITORY_URL', value: request.source.repositoryUrl },
            { name: 'GIT_SHA', value: request.source.sha },
            { name: 'WORKSPACE', value: workspace },
            { name: 'GIT_CREDENTIALS', value: gitCredentialsDir },
            { name: 'GIT_TERMINAL_PROMPT', value: '0' },
            { name: 'HOME', value: '/tmp' },
          ],
          securityContext: { ...dropAll, runAsUser: rootlessUser, runAsGroup: rootlessUser, runAsNonRoot: true },
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
          terminationMessagePolicy: 'FallbackToLogsOnError',
          volumeMounts: [
            { name: 'workspace', mountPath: workspace },
            { name: 'git-credentials', mountPath: gitCredentialsDir, readOnly: true },
          ],
        },
      ],
      containers: [
        {
          name: 'buildkit',
          image: options.buildkitImage,
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
          resources,
          terminationMessagePolicy: 'FallbackToLogsOnError',
          volumeMounts: [
            { name: 'workspace', mountPath: workspace, readOnly: true },
            { name: 'docker-config', mountPath: dockerConfigDir, readOnly: true },
            { name: 'buildkitd', mountPath: '/home/user/.local/share/buildkit' },
          ],
        },
      ],
      volumes: [
        { name: 'workspace', emptyDir: {} },
        { name: 'buildkitd', emptyDir: {} },
        {
          name: 'git-credentials',
          secret: { secretName: names.secret, defaultMode: 0o440, optional: false, items: gitItems(request) },
        },
        {
          name: 'docker-config',
          secret: {
            secretName: names.secret,
            defaultMode: 0o440,
            items: [{ key: 'config.json', path: 'config.json' }],
          },
        },
      ],
    },
  };
}

function gitItems(request: BuildRequest): { key: string; path: string }[] {
  const items = [{ key: 'git-username', path: 'git-username' }];
  if (request.source.token) items.push({ key: 'git-token', path: 'git-token' });
  return items;
}
