// The API's shapes as the UI uses them, all read from the routes' types (`KilnApi`): none is written by hand, so
// a change in api/ reaches every screen as a type error instead of drifting.
import type { InferRequestType, InferResponseType } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { KilnApi } from './client';

type Ok<F> = InferResponseType<F, SuccessStatusCode>;
type Json<F> = InferRequestType<F> extends { json: infer J } ? J : never;
type Services = KilnApi['services'][':id'];
type Builds = KilnApi['builds'][':id'];
type Pipelines = Services['pipelines'];

/** The signed-in caller (`GET /me`), with the notices every screen shows. */
export type Me = Ok<KilnApi['me']['$get']>;
/** The caller's role: instance admin, organization admin or member. */
export type Role = Me['role'];

/** An organization's connection to GitLab, GitHub or a plain git server; the token itself is never sent. */
export type GitProvider = Ok<KilnApi['git-providers'][':id']['$get']>;
/** GitLab, GitHub or a plain git server. */
export type GitProviderKind = GitProvider['kind'];
/** A registry (never the password). */
export type Registry = Ok<KilnApi['registries'][':id']['$get']>;
/** A runtime environment, never the kubeconfig. */
export type Cluster = Ok<KilnApi['clusters'][':id']['$get']>;
/** A user of the instance, with their organization and role. */
export type User = Ok<KilnApi['users'][':id']['$get']>;
/** An API token's description; the secret is shown once, when it is made. */
export type ApiToken = Ok<KilnApi['users'][':id']['tokens']['$get']>['items'][number];

/** What the GitLab/GitHub token check found. */
export type TokenCheck = Ok<KilnApi['provider-checks']['$post']>;
/** What `git ls-remote` against a repository found (Git servers without the GitLab/GitHub API). */
export type GitCheck = Ok<KilnApi['git-checks']['$post']>;
/** What Test connection found for a registry (`GET /v2/` with the credentials). */
export type RegistryCheck = Ok<KilnApi['registry-checks']['$post']>;
/** Can Kiln work in a cluster. */
export type ClusterCheck = Ok<KilnApi['clusters'][':id']['check']['$post']>;

/** A service: one Git repository Kiln builds. */
export type Service = Ok<Services['$get']>;
/** Auto CI settings with the registry and what is still missing. */
export type AutoCiSettings = Ok<Services['auto-ci']['$get']>;
/** One monorepo sub-project's Auto CI setting. */
export type SubprojectSetting = AutoCiSettings['subprojects'][number];
/** The CPU and memory a service's builds get. */
export type BuildProfile = AutoCiSettings['buildProfile'];
/** Detect Services: language, framework, package manager, build type, TypeScript, Dockerfile, sub-projects. */
export type DetectionResult = Ok<Services['detect']['$post']>;
/** Where Git providers send a service's webhooks, and the secret they must send. */
export type WebhookInfo = Ok<Services['webhook']['$get']>;
/** What the Deploy and Operate stages show. */
export type DeploymentStatus = Ok<Services['deployment']['$get']>;
/** One received webhook and what Kiln answered. */
export type Delivery = Ok<Services['webhook']['deliveries']['$get']>['items'][number];
/** One delivery with its request headers (no secrets) and payload (authenticated deliveries only). */
export type DeliveryDetail = Ok<Services['webhook']['deliveries'][':deliveryId']['$get']>;

/** A build of a service (or of one monorepo sub-project, when `parentBuildId` is set), as lists show it. */
export type Build = Ok<Services['builds']['$get']>['items'][number];
/** A build with its sub-project builds (`GET /builds/{id}`). */
export type BuildDetail = Ok<Builds['$get']>;
/** Pending, Building, or how the build ended: Succeeded, Failed, Cancelled. */
export type BuildStatus = Build['status'];
/** One event of a build's workflow history. */
export type WorkflowEvent = Ok<Builds['workflow-history']['$get']>['events'][number];
/** One line of a build log. */
export type BuildLogLine = Ok<Builds['logs']['$get']>['lines'][number];
/** A line the log viewer shows: a build log line, or a GitLab job log line (which has no time). */
export type LogLine = Pick<BuildLogLine, 'seq' | 'stream' | 'text'> & { at?: string };

/** The Pipelines tab's list, or why there is none. */
export type PipelineList = Ok<Pipelines['$get']>;
/** A GitLab pipeline. */
export type Pipeline = Ok<Pipelines[':pipelineId']['$get']>['pipeline'];
/** A pipeline with its jobs grouped by stage. */
export type PipelineDetail = Ok<Pipelines[':pipelineId']['$get']>;
/** One job of a GitLab pipeline stage. */
export type PipelineJob = PipelineDetail['stages'][number]['jobs'][number];
/** A GitLab job log: numbered lines with ANSI kept and heuristic stderr marks. */
export type JobLog = Ok<Services['jobs'][':jobId']['log']['$get']>;

/** What the Build Wizard proposes. */
export type DockerfileProposal = Ok<Services['dockerfile']['$post']>;
/** The merge/pull request the wizard opened or found. */
export type WizardChangeRequest = Ok<Services['dockerfile']['merge-request']['$post']>;

/** JSON bodies the UI sends, by call. */
export interface Input {
  createService: Json<KilnApi['services']['$post']>;
  updateService: Json<Services['$patch']>;
  saveAutoCi: Json<Services['auto-ci']['$put']>;
  createGitProvider: Json<KilnApi['git-providers']['$post']>;
  checkNewToken: Json<KilnApi['provider-checks']['$post']>;
  checkGitServer: Json<KilnApi['git-checks']['$post']>;
  createRegistry: Json<KilnApi['registries']['$post']>;
  checkNewRegistry: Json<KilnApi['registry-checks']['$post']>;
  createCluster: Json<KilnApi['clusters']['$post']>;
  createUser: Json<KilnApi['users']['$post']>;
  wizardFiles: Json<Services['dockerfile']['$put']>;
}
