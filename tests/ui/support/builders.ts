// Objects shaped like the Kiln API's responses, for component tests.
import type { AutoCiSettings, Build, BuildDetail, Service } from '../../../ui/src/api/types';

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

/** A service as `GET /services` returns it. */
export function aService(patch: Partial<Service> = {}): Service {
  return {
    id: uuid(),
    organizationId: '00000000-0000-4000-8000-0000000000aa',
    name: 'shop-api',
    gitProvider: 'gitlab',
    repoUrl: 'https://gitlab.example.com/team/shop-api.git',
    projectPath: 'team/shop-api',
    projectId: null,
    defaultBranch: 'main',
    registryId: uuid(),
    clusterId: null,
    deployNamespace: 'shop-api',
    deployPort: null,
    autoCiEnabled: false,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    ...patch,
  };
}

/** A build as `GET /services/{id}/builds` returns it. */
export function aBuild(patch: Partial<Build> = {}): Build {
  return {
    id: uuid(),
    serviceId: uuid(),
    serviceName: 'shop-api',
    parentBuildId: null,
    subproject: null,
    trigger: 'webhook',
    event: 'push',
    provider: 'gitlab',
    deliveryId: null,
    ref: 'refs/heads/main',
    branch: 'main',
    tag: null,
    mergeRequestIid: null,
    pullRequestNumber: null,
    sha: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0',
    commitMessage: 'Add checkout endpoint',
    commitAuthor: 'Dev',
    status: 'Building',
    progress: 40,
    currentStep: 'Build',
    error: null,
    errorType: null,
    images: [],
    digest: null,
    digests: {},
    workflowId: 'build-x',
    retryOfBuildId: null,
    temporalUrl: null,
    createdAt: new Date().toISOString(),
    startedAt: new Date(Date.now() - 65_000).toISOString(),
    finishedAt: null,
    durationMs: null,
    ...patch,
  };
}

/** A build as `GET /builds/{id}` returns it, with its monorepo sub-project builds. */
export function aBuildDetail(patch: Partial<Build> = {}, children: Build[] = []): BuildDetail {
  return { ...aBuild(patch), children };
}

/** Auto CI settings as `GET /services/{id}/auto-ci` returns them. */
export function someAutoCi(service: Service, patch: Partial<AutoCiSettings> = {}): AutoCiSettings {
  return {
    serviceId: service.id,
    enabled: false,
    branchFilter: ['main'],
    buildProfile: 'auto',
    dockerfilePath: 'Dockerfile',
    buildArgs: {},
    secretBuildArgNames: [],
    autoDeploy: false,
    imageName: service.name,
    imagePrefix: null,
    subprojects: [],
    buildChangedOnly: false,
    // The API's default for a new service: a newer build of the same branch cancels the running one.
    supersedeRunning: true,
    submodules: false,
    buildForkMergeRequests: false,
    buildDraftPullRequests: false,
    registry: {
      id: service.registryId ?? 'r',
      name: 'harbor',
      kind: 'harbor',
      url: 'harbor.example.com',
      project: 'team',
    },
    imageRepositories: [`harbor.example.com/team/${service.name}`],
    readiness: { ready: true, missing: [] },
    updatedAt: new Date().toISOString(),
    ...patch,
  };
}
