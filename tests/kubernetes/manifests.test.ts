import { describe, expect, it } from 'vitest';
import type { BuildRequest } from '../../builders/builder';
import { deploymentManifest, pinnedImage, serviceManifest } from '../../clients/kubernetes/deploy-manifests';
import { buildctlArgs } from '../../builders/buildkit/build-containers';
import { buildObjectNames, buildPodManifest } from '../../builders/buildkit/manifests';
import { imagePullSecretManifest } from '../../clients/kubernetes/secret-manifests';
import { buildSecretManifest } from '../../builders/buildkit/build-secret';

const token = 'ghp_supersecrettoken';
const password = 'registry-password';
const request: BuildRequest = {
  buildId: 'B-42_Monorepo/Web',
  source: {
    repositoryUrl: 'https://gitlab.example.com/team/shop.git',
    sha: 'a'.repeat(40),
    ref: 'refs/heads/main',
    token,
  },
  contextPath: 'services/web',
  dockerfilePath: 'services/web/docker/Dockerfile.prod',
  buildArgs: { NODE_ENV: 'production', VERSION: '1.2.3' },
  images: ['harbor.example.com/team/web:aaaa', 'harbor.example.com/team/web:main'],
  cacheRef: 'harbor.example.com/team/web:buildcache',
  registry: { host: 'harbor.example.com', username: 'robot$ci', password, insecure: false },
  resources: { profile: 'large', cpu: 4, memoryMiB: 8192, timeoutSeconds: 1800 },
};
const options = {
  namespace: 'kiln-builds',
  buildkitImage: 'moby/buildkit:v0.23.2-rootless',
  gitImage: 'alpine/git:2.47.2',
};

describe('build pod manifest', () => {
  const pod = buildPodManifest(request, options);
  const spec = pod.spec!;
  const clone = spec.initContainers![0]!;
  const buildkit = spec.containers[0]!;

  it('keeps the git token and registry password out of args, commands and env values', () => {
    const visible = JSON.stringify([spec.initContainers, spec.containers, pod.metadata]);
    expect(visible).not.toContain(token);
    expect(visible).not.toContain(password);
    const secretVolume = spec.volumes!.find((v) => v.name === 'git-credentials');
    expect(secretVolume?.secret?.secretName).toBe(buildObjectNames(request.buildId).secret);
  });

  it('mounts no service-account token and runs BuildKit rootless with the documented security settings', () => {
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.restartPolicy).toBe('Never');
    expect(buildkit.image).toBe('moby/buildkit:v0.23.2-rootless');
    expect(buildkit.command).toEqual(['buildctl-daemonless.sh']);
    expect(buildkit.env).toContainEqual({ name: 'BUILDKITD_FLAGS', value: '--oci-worker-no-process-sandbox' });
    expect(buildkit.securityContext).toMatchObject({
      seccompProfile: { type: 'Unconfined' },
      appArmorProfile: { type: 'Unconfined' },
      runAsUser: 1000,
      runAsGroup: 1000,
    });
    expect(pod.metadata!.annotations!['container.apparmor.security.beta.kubernetes.io/buildkit']).toBe('unconfined');
    expect(clone.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('sizes the BuildKit container from the profile and bounds the pod by the build timeout', () => {
    expect(buildkit.resources).toEqual({
      requests: { cpu: '4', memory: '8192Mi' },
      limits: { cpu: '4', memory: '8192Mi' },
    });
    expect(spec.activeDeadlineSeconds).toBe(1800);
  });

  it('labels the pod with its build so pod and build can be found from each other', () => {
    expect(pod.metadata!.name).toBe('kiln-build-b-42-monorepo-web');
    expect(pod.metadata!.labels).toMatchObject({
      'kiln.dev/build-id': 'B-42_Monorepo-Web',
      'app.kubernetes.io/managed-by': 'kiln',
      'kiln.dev/build-profile': 'large',
    });
    expect(pod.metadata!.annotations!['kiln.dev/build-id']).toBe('B-42_Monorepo/Web');
  });

  it('clones exactly the commit through env, not a branch', () => {
    expect(clone.env).toContainEqual({ name: 'GIT_SHA', value: request.source.sha });
    expect(clone.env).toContainEqual({ name: 'REPOSITORY_URL', value: request.source.repositoryUrl });
    expect(clone.command?.[2]).toContain('fetch -q --depth 1 "$REPOSITORY_URL" "$GIT_SHA"');
  });

  it('passes node selector and tolerations for dedicated build nodes', () => {
    const tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'builds', effect: 'NoSchedule' }];
    const dedicated = buildPodManifest(request, {
      ...options,
      nodeSelector: { 'kiln.dev/builds': 'true' },
      tolerations,
    });
    expect(dedicated.spec!.nodeSelector).toEqual({ 'kiln.dev/builds': 'true' });
    expect(dedicated.spec!.tolerations).toEqual(tolerations);
    expect(spec.nodeSelector).toBeUndefined();
  });

  it('gives pods of long build ids a valid DNS name', () => {
    const names = buildObjectNames('x'.repeat(100));
    expect(names.secret.length).toBeLessThanOrEqual(63);
    expect(names.pod).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

describe('buildctl arguments', () => {
  it('use the dockerfile frontend, build args, every image name with push=true, and the registry cache', () => {
    expect(buildctlArgs(request)).toEqual([
      'build',
      '--frontend', 'dockerfile.v0',
      '--local', 'context=/workspace/services/web',
      '--local', 'dockerfile=/workspace/services/web/docker',
      '--opt', 'filename=Dockerfile.prod',
      '--opt', 'build-arg:NODE_ENV=production',
      '--opt', 'build-arg:VERSION=1.2.3',
      '--output', 'type=image,"name=harbor.example.com/team/web:aaaa,harbor.example.com/team/web:main",push=true',
      '--export-cache', 'type=registry,ref=harbor.example.com/team/web:buildcache,mode=max',
      '--import-cache', 'type=registry,ref=harbor.example.com/team/web:buildcache',
      '--progress', 'plain',
    ]); // prettier-ignore
  });

  it('mark an insecure registry and omit the cache when there is no cache ref', () => {
    const args = buildctlArgs({
      ...request,
      images: ['127.0.0.1:5000/a/b:1'],
      cacheRef: undefined,
      registry: { ...request.registry, insecure: true },
    });
    expect(args).toContain('type=image,name=127.0.0.1:5000/a/b:1,push=true,registry.insecure=true');
    expect(args).not.toContain('--export-cache');
  });

  it('refuse a Dockerfile or context outside the repository', () => {
    expect(() => buildctlArgs({ ...request, dockerfilePath: '../../etc/Dockerfile' })).toThrow(
      /points outside the repository/,
    );
    expect(() => buildctlArgs({ ...request, contextPath: '/etc' })).toThrow(/points outside the repository/);
  });
});

describe('secrets', () => {
  it('put git token and docker config in the per-build Secret, and no token key without a token', () => {
    const secret = buildSecretManifest({
      namespace: 'kiln-builds',
      buildId: 'b1',
      gitUsername: 'oauth2',
      token,
      registry: request.registry,
    });
    expect(secret.stringData!['git-token']).toBe(token);
    expect(JSON.parse(secret.stringData!['config.json']!).auths['harbor.example.com'].username).toBe('robot$ci');
    const anonymous = buildSecretManifest({
      namespace: 'kiln-builds',
      buildId: 'b1',
      gitUsername: 'oauth2',
      registry: request.registry,
    });
    expect(anonymous.stringData!['git-token']).toBeUndefined();
  });

  it('name the image-pull Secret {serviceName}-registry-cred with type dockerconfigjson', () => {
    const secret = imagePullSecretManifest({ namespace: 'shop', serviceName: 'web', registry: request.registry });
    expect(secret.metadata).toMatchObject({ name: 'web-registry-cred', namespace: 'shop' });
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
  });
});

describe('workload manifests', () => {
  const digest = `sha256:${'c'.repeat(64)}`;

  it('pin the image by digest whatever form the reference has', () => {
    expect(pinnedImage('harbor.example.com:8443/team/web:aaaa', digest)).toBe(
      `harbor.example.com:8443/team/web@${digest}`,
    );
    expect(pinnedImage(`harbor.example.com/team/web@${digest}`)).toBe(`harbor.example.com/team/web@${digest}`);
    expect(() => pinnedImage('harbor.example.com/team/web:latest')).toThrow(/not pinned/);
  });

  it('reference the pull Secret and select pods by stable app.kubernetes.io labels', () => {
    const deployment = deploymentManifest({
      namespace: 'shop',
      serviceName: 'web',
      image: `h/t/web@${digest}`,
      port: 8080,
    });
    expect(deployment.spec!.template.spec!.imagePullSecrets).toEqual([{ name: 'web-registry-cred' }]);
    expect(deployment.spec!.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/instance': 'web',
    });
    expect(deployment.spec!.template.metadata!.labels!['app.kubernetes.io/version']).toBe('cccccccccccc');
    const service = serviceManifest({ namespace: 'shop', serviceName: 'web', image: `h/t/web@${digest}`, port: 8080 });
    expect(service.spec!.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
  });
});
