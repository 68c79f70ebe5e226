import { randomUUID } from 'node:crypto';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { buildProfiles } from '../domain/build-profile';
import { buildStatuses } from '../domain/build-status';
import { buildEvents, buildTriggers } from '../domain/build-trigger';
import { clusterModes, gitProviderKinds, registryKinds } from '../domain/connections';
import { logStreams } from '../domain/log-stream';
import { userRoles } from '../domain/roles';

// Columns ending in `Enc` hold AES-256-GCM ciphertext from db/crypto.ts, never plain secrets.

const id = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => randomUUID());
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** A monorepo sub-project selected for Auto CI. */
export interface SubprojectSetting {
  name: string;
  /** Build context folder relative to the repository root. */
  path: string;
  dockerfilePath: string;
}

/** Tenants: every connection, service and build belongs to exactly one. */
export const organizations = pgTable('organizations', {
  id: id(),
  name: text('name').notNull().unique(),
  /** Registry mirror prefix for the base images of generated Dockerfiles (e.g. `mirror.acme.dev/dockerhub/`). */
  baseImagePrefix: text('base_image_prefix'),
  createdAt: createdAt(),
});

/** People and their role (instance admin, organization admin, member) in one organization. */
export const users = pgTable(
  'users',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email'),
    role: text('role', { enum: userRoles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_org_name_uq').on(t.organizationId, t.name)],
);

/** API tokens, stored as hashes only; each belongs to a user. */
export const apiTokens = pgTable('api_tokens', {
  id: id(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** sha256 hex of the token; the token itself is shown once and never stored. */
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
});

/** GitLab and GitHub connections with their encrypted tokens. */
export const gitProviders = pgTable(
  'git_providers',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: gitProviderKinds }).notNull(),
    baseUrl: text('base_url').notNull(),
    tokenEnc: text('token_enc').notNull(),
    /**
     * False for a plain git server (no GitLab/GitHub API behind it): clones only; commit statuses, pipelines and
     * webhook registration are skipped with a message instead of being posted to it.
     */
    providerApi: boolean('provider_api').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('git_providers_org_kind_url_uq').on(t.organizationId, t.kind, t.baseUrl)],
);

/** Image registries (Harbor, Docker Hub, any OCI registry) with their encrypted credentials. */
export const registries = pgTable(
  'registries',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind', { enum: registryKinds }).notNull(),
    url: text('url').notNull(),
    project: text('project').notNull(),
    username: text('username').notNull(),
    passwordEnc: text('password_enc').notNull(),
    insecure: boolean('insecure').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('registries_org_name_uq').on(t.organizationId, t.name)],
);

/** Runtime environments: Kubernetes clusters reached by kubeconfig (encrypted) or from inside the cluster. */
export const clusters = pgTable(
  'clusters',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    mode: text('mode', { enum: clusterModes }).notNull(),
    kubeconfigEnc: text('kubeconfig_enc'),
    context: text('context'),
    /** In-cluster mode: the namespaces (names, or prefixes ending in `*`) its services may deploy to; none when null. */
    namespaces: jsonb('namespaces').$type<string[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('clusters_org_name_uq').on(t.organizationId, t.name)],
);

/** Repositories Kiln builds, with where their images go and where they deploy. */
export const services = pgTable(
  'services',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    gitProvider: text('git_provider', { enum: gitProviderKinds }).notNull(),
    repoUrl: text('repo_url').notNull(),
    /** `group/project` (GitLab path_with_namespace) or `owner/repo` (GitHub full_name), stored lower-case. */
    projectPath: text('project_path').notNull(),
    /** Numeric project/repository id at the provider, when known. */
    projectId: text('project_id'),
    defaultBranch: text('default_branch').notNull().default('main'),
    registryId: uuid('registry_id').references(() => registries.id, { onDelete: 'set null' }),
    clusterId: uuid('cluster_id').references(() => clusters.id, { onDelete: 'set null' }),
    deployNamespace: text('deploy_namespace'),
    /** Container port; when set, deploys also create a Kubernetes Service for it. */
    deployPort: integer('deploy_port'),
    webhookSecretEnc: text('webhook_secret_enc').notNull(),
    webhookSecretRotatedAt: timestamp('webhook_secret_rotated_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('services_org_name_uq').on(t.organizationId, t.name),
    index('services_provider_path_idx').on(t.gitProvider, t.projectPath),
    index('services_provider_project_id_idx').on(t.gitProvider, t.projectId),
  ],
);

/** A service's Auto CI settings: what triggers a build, its profile, args and secrets (encrypted). */
export const autoCiSettings = pgTable('auto_ci_settings', {
  serviceId: uuid('service_id')
    .primaryKey()
    .references(() => services.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(false),
  /** One branch, several, glob patterns, or `*`; matched against the exact branch or tag name. */
  branchFilter: jsonb('branch_filter').$type<string[]>().notNull().default(['main']),
  buildProfile: text('build_profile', { enum: buildProfiles }).notNull().default('auto'),
  dockerfilePath: text('dockerfile_path').notNull().default('Dockerfile'),
  buildArgs: jsonb('build_args').$type<Record<string, string>>().notNull().default({}),
  autoDeploy: boolean('auto_deploy').notNull().default(false),
  imageName: text('image_name'),
  imagePrefix: text('image_prefix'),
  subprojects: jsonb('subprojects').$type<SubprojectSetting[]>().notNull().default([]),
  /** Monorepo: build only the sub-projects a push's changed paths touch (all when the paths are unknown). */
  buildChangedOnly: boolean('build_changed_only').notNull().default(true),
  /** A newer build of the same branch cancels the running one. */
  supersedeRunning: boolean('supersede_running').notNull().default(true),
  /** Clone git submodules too. */
  submodules: boolean('submodules').notNull().default(false),
  /** Build merge requests whose source project is a fork (untrusted code; never deployed either way). */
  buildForkMergeRequests: boolean('build_fork_merge_requests').notNull().default(false),
  /** Secret build arguments: encrypted JSON `{ name: value }`, passed to builds as build secrets, never as ARGs. */
  secretBuildArgsEnc: text('secret_build_args_enc'),
  /** GitHub draft pull requests build only when this is on. */
  buildDraftPullRequests: boolean('build_draft_pull_requests').notNull().default(false),
  /** A Dockerfile from the Build Wizard, used only while the repository has none (the build log says so). */
  generatedDockerfile: text('generated_dockerfile'),
  generatedDockerignore: text('generated_dockerignore'),
  updatedAt: updatedAt(),
});

/** One row per build (and per sub-project child), from trigger to final status. */
export const builds = pgTable(
  'builds',
  {
    id: id(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    parentBuildId: uuid('parent_build_id'),
    subproject: text('subproject'),
    trigger: text('trigger', { enum: buildTriggers }).notNull(),
    event: text('event', { enum: buildEvents }).notNull(),
    provider: text('provider', { enum: gitProviderKinds }),
    deliveryId: text('delivery_id'),
    ref: text('ref').notNull(),
    branch: text('branch'),
    tag: text('tag'),
    /** Merge request iid of a merge-request build: its images are tagged `mr-<iid>`, never with a branch name. */
    mergeRequestIid: integer('merge_request_iid'),
    /** GitHub pull request number of a pull-request build: tagged `pr-<n>`, never a branch name, never deployed. */
    pullRequestNumber: integer('pull_request_number'),
    /** Exact commit to build; null for manual builds until the clone resolves the branch. */
    sha: text('sha'),
    commitMessage: text('commit_message'),
    commitAuthor: text('commit_author'),
    /** Paths the pushed commits changed (added, modified, removed), when the provider listed them. */
    changedPaths: jsonb('changed_paths').$type<string[]>(),
    status: text('status', { enum: buildStatuses }).notNull().default('Pending'),
    progress: integer('progress').notNull().default(0),
    currentStep: text('current_step').notNull().default('Queued'),
    error: text('error'),
    errorType: text('error_type'),
    images: jsonb('images').$type<string[]>().notNull().default([]),
    digest: text('digest'),
    digests: jsonb('digests').$type<Record<string, string>>().notNull().default({}),
    workflowId: text('workflow_id').notNull(),
    retryOfBuildId: uuid('retry_of_build_id'),
    triggeredByUserId: uuid('triggered_by_user_id'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: bigint('duration_ms', { mode: 'number' }),
  },
  (t) => [
    // One build per workflow id: concurrent duplicate deliveries collapse onto one row.
    uniqueIndex('builds_workflow_id_uq').on(t.workflowId),
    index('builds_service_created_idx').on(t.serviceId, t.createdAt),
    index('builds_org_created_idx').on(t.organizationId, t.createdAt),
    // One child per sub-project of a parent build (NULL parents are distinct, so top-level builds are unaffected).
    uniqueIndex('builds_parent_subproject_uq').on(t.parentBuildId, t.subproject),
  ],
);

/** A build as stored: the one row type every side reads. */
export type BuildRow = typeof builds.$inferSelect;

/** A build's log, one row per line, ordered by seq within each build. */
export const buildLogLines = pgTable(
  'build_log_lines',
  {
    buildId: uuid('build_id')
      .notNull()
      .references(() => builds.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    stream: text('stream', { enum: logStreams }).notNull(),
    text: text('text').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.buildId, t.seq] })],
);

/** Authenticated webhook deliveries and what Kiln decided for each (one build per delivery). */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    provider: text('provider', { enum: gitProviderKinds }).notNull(),
    event: text('event'),
    deliveryId: text('delivery_id'),
    serviceId: uuid('service_id').references(() => services.id, { onDelete: 'cascade' }),
    statusCode: integer('status_code').notNull(),
    response: jsonb('response').$type<Record<string, unknown>>().notNull(),
    buildId: uuid('build_id'),
    /** Request headers without tokens or signatures. */
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    /** Raw body, kept only for authenticated deliveries so an admin can redeliver them. */
    payload: text('payload'),
    payloadBytes: integer('payload_bytes').notNull().default(0),
    redeliveryOf: uuid('redelivery_of'),
    durationMs: integer('duration_ms').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_deliveries_service_created_idx').on(t.serviceId, t.createdAt),
    index('webhook_deliveries_delivery_idx').on(t.deliveryId),
  ],
);

/** Unauthenticated webhook deliveries (wrong secret, unknown repository): a bounded, rate-limited record for admins. */
export const webhookRejections = pgTable(
  'webhook_rejections',
  {
    id: id(),
    provider: text('provider', { enum: gitProviderKinds }).notNull(),
    /** Organization of the service the delivery named, when one matched; only its admins see the record. */
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    event: text('event'),
    /** Repository the payload named, truncated. */
    repository: text('repository'),
    reason: text('reason').notNull(),
    /** A few request headers, each value truncated. */
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_rejections_created_idx').on(t.createdAt)],
);

/** What an instance admin did inside an organization other than their own. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    actorUserId: uuid('actor_user_id'),
    actorName: text('actor_name').notNull(),
    /** The organization acted in. */
    organizationId: uuid('organization_id'),
    method: text('method').notNull(),
    path: text('path').notNull(),
    statusCode: integer('status_code').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_events_org_created_idx').on(t.organizationId, t.createdAt)],
);
