import { randomUUID } from 'node:crypto';
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { buildWorkflowId } from '../workflows/names';
import type { Database } from './client';
import type { SecretCipher } from './crypto';
import { autoCiSettings, builds, clusters, gitProviders, registries, services, type SubprojectSetting } from './schema';

export type BuildRow = typeof builds.$inferSelect;
type Status = BuildRow['status'];
const terminal: Status[] = ['Succeeded', 'Failed', 'Cancelled'];

/** Everything a build workflow needs, with secrets decrypted. Never log or return this object as a whole. */
export interface BuildForWorkflow {
  build: BuildRow;
  service: {
    id: string;
    name: string;
    organizationId: string;
    gitProvider: 'gitlab' | 'github';
    repoUrl: string;
    projectPath: string;
    projectId: string | null;
    defaultBranch: string;
    deployNamespace: string;
  };
  /** The organization's connection for the service's provider (matched by host when there are several). */
  git: { baseUrl: string; token: string } | null;
  registry: {
    id: string;
    kind: 'harbor' | 'dockerhub' | 'oci';
    /** host[:port] without scheme. */
    host: string;
    project: string;
    username: string;
    password: string;
    insecure: boolean;
  } | null;
  cluster: {
    id: string;
    name: string;
    mode: 'kubeconfig' | 'in-cluster';
    kubeconfig: string | null;
    context: string | null;
  } | null;
  autoCi: {
    enabled: boolean;
    buildProfile: string;
    dockerfilePath: string;
    buildArgs: Record<string, string>;
    autoDeploy: boolean;
    /** Defaults to the service name. */
    imageName: string;
    imagePrefix: string;
    subprojects: SubprojectSetting[];
  };
  /** Secret values a log sink must redact (tokens, passwords, their basic-auth form). */
  secrets: string[];
}

/** Loads a build with its service, Git token, registry credentials, cluster and Auto CI settings. */
export async function loadBuildForWorkflow(
  db: Database,
  cipher: SecretCipher,
  buildId: string,
): Promise<BuildForWorkflow> {
  const [row] = await db
    .select({ build: builds, service: services, settings: autoCiSettings, registry: registries, cluster: clusters })
    .from(builds)
    .innerJoin(services, eq(services.id, builds.serviceId))
    .leftJoin(autoCiSettings, eq(autoCiSettings.serviceId, services.id))
    .leftJoin(registries, eq(registries.id, services.registryId))
    .leftJoin(clusters, eq(clusters.id, services.clusterId))
    .where(eq(builds.id, buildId));
  if (!row) throw new Error(`Build ${buildId} does not exist (deleted with its service?).`);
  const { build, service, settings, registry, cluster } = row;
  const git = await gitConnection(db, cipher, service);
  const password = registry ? cipher.decrypt(registry.passwordEnc) : undefined;
  const kubeconfig = cluster?.kubeconfigEnc ? cipher.decrypt(cluster.kubeconfigEnc) : null;
  const secrets = [
    git?.token,
    password,
    registry && password && Buffer.from(`${registry.username}:${password}`).toString('base64'),
  ];
  return {
    build,
    service: {
      id: service.id,
      name: service.name,
      organizationId: service.organizationId,
      gitProvider: service.gitProvider,
      repoUrl: service.repoUrl,
      projectPath: service.projectPath,
      projectId: service.projectId,
      defaultBranch: service.defaultBranch,
      deployNamespace: service.deployNamespace ?? service.name,
    },
    git,
    registry: registry
      ? {
          id: registry.id,
          kind: registry.kind,
          host: registry.url.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, ''),
          project: registry.project,
          username: registry.username,
          password: password!,
          insecure: registry.insecure,
        }
      : null,
    cluster: cluster
      ? { id: cluster.id, name: cluster.name, mode: cluster.mode, kubeconfig, context: cluster.context }
      : null,
    autoCi: {
      enabled: settings?.enabled ?? false,
      buildProfile: settings?.buildProfile ?? 'auto',
      dockerfilePath: settings?.dockerfilePath ?? 'Dockerfile',
      buildArgs: settings?.buildArgs ?? {},
      autoDeploy: settings?.autoDeploy ?? false,
      imageName: settings?.imageName ?? service.name,
      imagePrefix: settings?.imagePrefix ?? '',
      subprojects: settings?.subprojects ?? [],
    },
    secrets: secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4),
  };
}

async function gitConnection(db: Database, cipher: SecretCipher, service: typeof services.$inferSelect) {
  const rows = await db
    .select()
    .from(gitProviders)
    .where(and(eq(gitProviders.organizationId, service.organizationId), eq(gitProviders.kind, service.gitProvider)));
  const host = safeHost(service.repoUrl);
  const match = rows.find((r) => safeHost(r.baseUrl) === host) ?? rows[0];
  return match ? { baseUrl: match.baseUrl, token: cipher.decrypt(match.tokenEnc) } : null;
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Progress written by the build pipeline; only the fields given change. */
export interface BuildProgressUpdate {
  status?: Status;
  step?: string;
  percent?: number;
  error?: string | null;
  errorType?: string | null;
  startedAt?: Date;
  finishedAt?: Date;
  images?: string[];
  digest?: string;
  digests?: Record<string, string>;
  /** The resolved commit, for manual builds started from a branch name. */
  sha?: string;
}

/**
 * Records build progress. A finished build (Succeeded/Failed/Cancelled) is never moved back to a running state,
 * so a late or replayed activity cannot undo the outcome. `durationMs` is derived when `finishedAt` is set.
 * Returns false when the update was refused for that reason.
 */
export async function updateBuildProgress(
  db: Database,
  buildId: string,
  update: BuildProgressUpdate,
): Promise<boolean> {
  const values: Partial<typeof builds.$inferInsert> = {};
  if (update.status) values.status = update.status;
  if (update.step) values.currentStep = update.step;
  if (update.percent !== undefined) values.progress = Math.max(0, Math.min(100, Math.round(update.percent)));
  if (update.error !== undefined) values.error = update.error;
  if (update.errorType !== undefined) values.errorType = update.errorType;
  if (update.startedAt) values.startedAt = update.startedAt;
  if (update.images) values.images = update.images;
  if (update.digest) values.digest = update.digest;
  if (update.digests) values.digests = update.digests;
  if (update.sha) values.sha = update.sha;
  const set: Record<string, unknown> = { ...values };
  if (update.finishedAt) {
    set.finishedAt = update.finishedAt;
    const started = update.startedAt
      ? sql`${update.startedAt.toISOString()}::timestamptz`
      : sql`coalesce(${builds.startedAt}, ${builds.createdAt})`;
    set.durationMs = sql`greatest(0, (extract(epoch from (${update.finishedAt.toISOString()}::timestamptz - ${started})) * 1000)::bigint)`;
  }
  if (Object.keys(set).length === 0) return true;
  const guard = update.status && terminal.includes(update.status) ? undefined : notInArray(builds.status, terminal);
  const rows = await db
    .update(builds)
    .set(set)
    .where(and(eq(builds.id, buildId), guard))
    .returning({ id: builds.id });
  return rows.length > 0;
}

/** Creates (once) the child build of a monorepo sub-project; repeated calls return the same child. */
export async function ensureChildBuild(db: Database, parent: BuildRow, subproject: string): Promise<BuildRow> {
  const id = randomUUID();
  const { id: _id, createdAt: _c, workflowId: _w, ...inherited } = parent;
  const [row] = await db
    .insert(builds)
    .values({
      ...inherited,
      id,
      parentBuildId: parent.id,
      subproject,
      status: 'Pending',
      progress: 0,
      currentStep: 'Queued',
      error: null,
      errorType: null,
      images: [],
      digest: null,
      digests: {},
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      workflowId: buildWorkflowId(id),
    })
    .onConflictDoNothing()
    .returning();
  if (row) return row;
  const [existing] = await db
    .select()
    .from(builds)
    .where(and(eq(builds.parentBuildId, parent.id), eq(builds.subproject, subproject)));
  return existing!;
}

/** Builds of a parent, by sub-project name. */
export async function listChildBuilds(db: Database, parentIds: string[]): Promise<BuildRow[]> {
  if (parentIds.length === 0) return [];
  return db.select().from(builds).where(inArray(builds.parentBuildId, parentIds));
}
