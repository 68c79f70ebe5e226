// Shapes of the Kiln REST API (`/api/v1`) as the UI reads them; they mirror db/schema.ts with ISO date strings.

export type Role = 'admin' | 'member';
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
}

/** Registry details as a service shows them (never the password). */
export interface RegistryInfo {
  id: string;
  name: string;
  kind: 'harbor' | 'dockerhub' | 'oci';
  url: string;
  project: string;
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
  deployNamespace: string | null;
  createdAt: string;
  registry?: RegistryInfo | null;
  autoCiEnabled?: boolean;
  /** Prerequisites for Auto CI the service still lacks (e.g. "Git token", "registry", "cluster"). */
  missingPrerequisites?: string[];
  latestBuild?: Build | null;
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

/** Auto CI settings of one service. */
export interface AutoCiSettings {
  enabled: boolean;
  branchFilter: string[];
  buildProfile: BuildProfile;
  dockerfilePath: string;
  buildArgs: Record<string, string>;
  autoDeploy: boolean;
  imageName: string | null;
  imagePrefix: string | null;
  subprojects: SubprojectSetting[];
}

/** One project found by Detect Services. */
export interface DetectedProject {
  name: string;
  path: string;
  language: string | null;
  framework: string | null;
  packageManager: string | null;
  typescript: boolean;
  dockerfilePath: string | null;
}

/** Result of Detect Services. */
export interface DetectionResult {
  buildType: 'single' | 'monorepo';
  language: string | null;
  framework: string | null;
  packageManager: string | null;
  typescript: boolean;
  dockerfilePath: string | null;
  subprojects: DetectedProject[];
}

/** Where Git providers send a service's webhooks. */
export interface WebhookInfo {
  productionUrl: string;
  localUrl?: string | null;
  gitlabUrl?: string;
  githubUrl?: string;
  secretRotatedAt?: string;
}

/** A build of a service (or of one monorepo sub-project, when `parentBuildId` is set). */
export interface Build {
  id: string;
  serviceId: string;
  parentBuildId: string | null;
  subproject: string | null;
  trigger: 'webhook' | 'api' | 'retry';
  event: 'push' | 'tag' | 'merge_request' | 'manual';
  ref: string;
  branch: string | null;
  tag: string | null;
  sha: string | null;
  commitMessage: string | null;
  commitAuthor: string | null;
  status: BuildStatus;
  progress: number;
  currentStep: string;
  error: string | null;
  images: string[];
  workflowId: string;
  workflowUrl?: string | null;
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
  durationMs: number;
  createdAt: string;
}

/** A list response. */
export interface Page<T> {
  items: T[];
}
