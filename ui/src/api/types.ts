// Shapes of the Kiln REST API (`/api/v1`) as the UI reads them; they mirror db/schema.ts with ISO date strings.

export type Role = 'instance_admin' | 'org_admin' | 'member';
export type GitProviderKind = 'gitlab' | 'github';
export type BuildStatus = 'Pending' | 'Building' | 'Succeeded' | 'Failed' | 'Cancelled';
export type BuildProfile = 'auto' | 'small' | 'medium' | 'large' | 'extra-large' | '2x-large' | '4x-large';
export type LogStream = 'stdout' | 'stderr' | 'system';

/** The signed-in caller (`GET /me`). */
export interface Me {
  id: string;
  organizationId: string;
  name: string;
  role: Role;
  /** Warnings about this Kiln's setup shown on every screen. */
  notices?: string[];
}

/** Registry details as Auto CI shows them (never the password). */
export interface RegistryInfo {
  id: string;
  name: string;
  kind: string;
  url: string;
  project: string;
}

/** An organization's connection to GitLab or GitHub (`GET /git-providers`); the token itself is never sent. */
export interface GitProvider {
  id: string;
  organizationId: string;
  kind: GitProviderKind;
  baseUrl: string;
  hasToken: boolean;
  /** False for a plain git server: clones only, no commit statuses, pipelines or webhook registration. */
  providerApi: boolean;
}

/** A service: one Git repository Kiln builds. */
export interface Service {
  id: string;
  organizationId: string;
  name: string;
  gitProvider: GitProviderKind;
  repoUrl: string;
  projectPath: string;
  defaultBranch: string;
  registryId: string | null;
  clusterId: string | null;
  deployNamespace: string;
  autoCiEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Fields a user edits when creating or changing a service. */
export interface ServiceInput {
  name: string;
  gitProvider: GitProviderKind;
  repoUrl: string;
  defaultBranch: string;
  registryId: string | null;
  clusterId: string | null;
  deployNamespace: string | null;
}

/** A monorepo sub-project chosen for Auto CI. */
export interface SubprojectSetting {
  name: string;
  path: string;
  dockerfilePath: string;
}

/** Auto CI settings a user saves (`PUT /services/{id}/auto-ci`). */
export interface AutoCiInput {
  enabled: boolean;
  branchFilter: string[];
  buildProfile: BuildProfile;
  dockerfilePath: string;
  buildArgs: Record<string, string>;
  /** Secret build args to change: a value sets or replaces one, null deletes it; names left out keep theirs. */
  secretBuildArgs?: Record<string, string | null>;
  autoDeploy: boolean;
  imageName: string | null;
  imagePrefix: string | null;
  subprojects: SubprojectSetting[];
  /** Monorepos: build only the sub-projects a push changed (all when unknown). */
  buildChangedOnly: boolean;
  /** A newer build of the same branch cancels the running one. */
  supersedeRunning: boolean;
  /** Clone git submodules too. */
  submodules: boolean;
  /** Build merge requests and pull requests from forks (organization admins change it); no secrets, never deploy. */
  buildForkMergeRequests: boolean;
  /** Build GitHub draft pull requests (otherwise they build once marked ready for review). */
  buildDraftPullRequests: boolean;
}

/** Auto CI settings as the server describes them, with the registry and what is still missing. */
export interface AutoCiSettings extends Omit<AutoCiInput, 'secretBuildArgs'> {
  serviceId: string;
  /** Names of the secret build args that are set; their values never reach the browser. */
  secretBuildArgNames: string[];
  imageName: string;
  registry: RegistryInfo | null;
  imageRepositories: string[];
  readiness: { ready: boolean; missing: string[] };
  updatedAt: string;
}

/** A monorepo sub-project found by Detect Services (activities/detect/types.ts). */
export interface DetectedProject {
  name: string;
  path: string;
  dockerfilePath: string | null;
  language: string | null;
  framework: string | null;
}

/** Result of Detect Services: language, framework, package manager, build type, TypeScript, Dockerfile. */
export interface DetectionResult {
  language: string | null;
  framework: string | null;
  packageManager: string | null;
  buildType: 'single' | 'mono';
  typescript: boolean;
  dockerfilePath: string | null;
  subprojects: DetectedProject[];
}

/** Where Git providers send a service's webhooks, and the secret they must send (`GET /services/{id}/webhook`). */
export interface WebhookInfo {
  provider: GitProviderKind;
  /** Production always; Local only for admins when configured. */
  urls: { environment: 'production' | 'local'; url: string }[];
  secretToken: string;
  signingToken: string | null;
  events: string[];
  rotatedAt: string;
  /** Set when the connection is a plain git server: no one-click registration, no commit statuses (what to do). */
  plainGitServer?: string | null;
}

/** A build of a service (or of one monorepo sub-project, when `parentBuildId` is set). */
export interface Build {
  id: string;
  serviceId: string;
  parentBuildId: string | null;
  subproject: string | null;
  trigger: 'webhook' | 'api' | 'retry';
  event: 'push' | 'tag' | 'merge_request' | 'pull_request' | 'manual';
  ref: string;
  branch: string | null;
  tag: string | null;
  /** Merge request builds: tagged `mr-<iid>` and the sha, never deployed. */
  mergeRequestIid?: number | null;
  /** GitHub pull request builds: tagged `pr-<n>` and the sha, never deployed. */
  pullRequestNumber?: number | null;
  sha: string | null;
  commitMessage: string | null;
  commitAuthor: string | null;
  status: BuildStatus;
  progress: number;
  currentStep: string;
  error: string | null;
  /** Why it failed, as a type (`DockerfileNotFound` offers the Build Wizard). */
  errorType?: string | null;
  images: string[];
  /** The manifest digest every one of `images` points at, once pushed. */
  digest?: string | null;
  serviceName?: string;
  workflowId: string;
  /** The workflow in the Temporal Web UI, when KILN_TEMPORAL_UI_URL is configured. */
  temporalUrl: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  children?: Build[];
}

/** One line of a build log. */
export interface LogLine {
  seq: number;
  stream: LogStream;
  text: string;
  at?: string;
}

/** One received webhook and what Kiln answered. */
export interface Delivery {
  id: string;
  provider: GitProviderKind;
  event: string | null;
  deliveryId: string | null;
  statusCode: number;
  response: Record<string, unknown>;
  buildId: string | null;
  redeliveryOf: string | null;
  payloadBytes: number;
  canRedeliver: boolean;
  durationMs: number;
  createdAt: string;
  /** Branch or tag and commit of an authenticated delivery (null when Kiln kept no payload). */
  ref?: string | null;
  sha?: string | null;
}

/** One delivery with its request headers (no secrets) and payload (authenticated deliveries only). */
export interface DeliveryDetail extends Delivery {
  headers: Record<string, string>;
  payload: string | null;
}

/** A list response. */
export interface Page<T> {
  items: T[];
  total?: number;
  page?: number;
  pageSize?: number;
}

/** `GET /services/:id/deployment`: what the Deploy and Operate stages show. */
export interface DeploymentStatus {
  state: 'NotConfigured' | 'NotDeployed' | 'Progressing' | 'Available' | 'Failed';
  image?: string;
  availableReplicas: number;
  replicas: number;
  message?: string;
  namespace?: string;
}

/** A registry as `GET /registries` describes it (never the password). */
export interface Registry {
  id: string;
  organizationId: string;
  name: string;
  kind: 'harbor' | 'dockerhub' | 'oci';
  url: string;
  project: string;
  username: string;
  hasPassword: boolean;
  insecure: boolean;
}

/** Fields of a registry an admin adds or changes; a password left out keeps the stored one. */
export interface RegistryInput {
  name: string;
  kind: Registry['kind'];
  url?: string;
  project: string;
  username: string;
  password?: string;
  insecure: boolean;
}

/** What Test connection found for a registry (`GET /v2/` with the credentials). */
export interface RegistryCheck {
  host: string;
  authenticated: boolean;
  message: string;
}

/** What the GitLab/GitHub token check found. */
export interface TokenCheck {
  identity: string;
  scopes: string[] | null;
  expiresAt: string | null;
  warnings: string[];
}

/** What `git ls-remote` against a repository found (Git servers without the GitLab/GitHub API). */
export interface GitCheck {
  repositoryUrl: string;
  branches: string[];
  usedToken: boolean;
  message: string;
}

/** A runtime environment (`GET /clusters`), never the kubeconfig. */
export interface Cluster {
  id: string;
  name: string;
  mode: 'kubeconfig' | 'in-cluster';
  context: string | null;
  server: string | null;
  hasKubeconfig: boolean;
}

/** `POST /clusters/{id}/check`: can Kiln work there. */
export interface ClusterCheck {
  ok: boolean;
  version?: string;
  message: string;
  missing?: string[];
}

/** A user of the organization. */
export interface User {
  id: string;
  organizationId: string;
  name: string;
  email: string | null;
  role: Role;
  createdAt: string;
}

/** An API token's description; the secret is shown once, when it is made. */
export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  token?: string;
}

/** One event of a build's workflow history (`GET /builds/{id}/workflow-history`). */
export interface WorkflowEvent {
  id: number;
  type: string;
  time: string | null;
  name: string | null;
  failure: string | null;
}
