import { eq } from 'drizzle-orm';
import { ensureChildBuild, listChildBuilds, loadBuildForWorkflow, updateBuildProgress } from '../db/builds';
import type { BuildForWorkflow } from '../db/builds';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import { builds, type BuildRow } from '../db/schema';
import type { SubprojectSetting } from '../db/schema';
import {
  sizedBuildProfiles,
  type BuildResources,
  type SizedBuildProfile,
  chooseBuildProfile,
} from '../domain/build-profile';
import { describeChange, isUntrustedChange } from '../domain/merge-request';
import { olderRunningBuilds } from '../db/superseded-builds';
import { writeSystemLines } from '../build-log/build-log';
import { closingLine, commitLine, describeProject, describeTimeout, isText } from '../domain/build-log-lines';
import { selectSubprojectsForChanges } from '../detect';
import type { DetectionResult } from '../detect';
import type { BuildStatus, BuildStep } from '../domain/build-status';
import { BuildErrorType, buildFailure } from '../domain/build-error';

/** What the build record activities need: the database, the cipher and the operator's limits. */
export interface BuildRecordDeps {
  db: Database;
  cipher: SecretCipher;
  /** Sub-project builds a monorepo parent runs at once. */
  maxParallelSubprojects: number;
  /** How long a build may wait for a free build slot before it fails as stuck in pending. */
  pendingTimeoutSeconds: number;
  /** The operator's cap on every profile's timeout (`KILN_MAX_BUILD_SECONDS`). */
  maxBuildSeconds?: number;
  now?: () => Date;
}

/** What the workflow needs to know to run a build; no secrets. */
export interface BuildPlan {
  isMonorepoParent: boolean;
  autoDeploy: boolean;
  maxParallelSubprojects: number;
  /** Schedule-to-start limit of the builder activity: waiting longer for a build slot is "stuck in pending". */
  pendingTimeoutSeconds: number;
  /** Workflow ids of older running builds of the same branch that this one replaces. */
  supersedes: string[];
  supersedeReason: string;
}

/** Where and how to build the image: chosen in the Profile step. */
export interface ImageBuildSettings {
  contextPath: string;
  dockerfilePath: string;
  resources: BuildResources;
  /** Added to "Dockerfile not found" when the repository is a monorepo: where the sub-projects are chosen. */
  dockerfileHint?: string;
}

/** A sub-project build created by a monorepo parent. */
export interface ChildBuild {
  buildId: string;
  name: string;
}

/** What to add to "Dockerfile not found" for a monorepo (its root has no Dockerfile) or a sub-project of one. */
function dockerfileHint(detection: DetectionResult, subprojectPath: string | undefined): string | undefined {
  if (subprojectPath !== undefined) {
    return `Sub-project ${subprojectPath} has no Dockerfile there: run Detect Services in Auto CI to see where its Dockerfile is, and save the sub-project selection again.`;
  }
  if (detection.buildType !== 'mono' && detection.subprojects.length === 0) return undefined;
  const found = detection.subprojects.map((s) => s.path).slice(0, 5);
  const more = detection.subprojects.length > found.length ? ', …' : '';
  const which = found.length > 0 ? ` (sub-projects ${found.join(', ')}${more})` : '';
  return `This repository is a monorepo${which}: run Detect Services in Auto CI and select the sub-projects to build, each from its own Dockerfile.`;
}

/** Activities that keep a build's database record (status, progress, step, log headlines) in step with its workflow. */
export function createBuildRecordActivities(deps: BuildRecordDeps) {
  return { ...buildLifecycleActivities(deps), ...buildProfileActivities(deps), ...subprojectBuildActivities(deps) };
}

/** The build's start (with its plan), each step reached, and its outcome. */
function buildLifecycleActivities(deps: BuildRecordDeps) {
  const { db, cipher } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    /** Marks the build as started, writes the commit line, and returns its plan. */
    async beginBuild({ buildId }: { buildId: string }): Promise<BuildPlan> {
      const loaded = await load(db, cipher, buildId);
      const { build, autoCi, cluster } = loaded;
      await updateBuildProgress(db, buildId, { status: 'Building', startedAt: build.startedAt ?? now() });
      // "Triggered by …" was written with the row (db/builds.ts recordBuild).
      await writeSystemLines(db, buildId, 'begin', [commitLine(build)].filter(isText));
      return {
        isMonorepoParent: !build.parentBuildId && autoCi.subprojects.length > 0,
        // Unmerged code (merge and pull request builds, from forks or not) never reaches the cluster on its own.
        autoDeploy: autoCi.autoDeploy && cluster != null && !isUntrustedChange(build),
        maxParallelSubprojects: deps.maxParallelSubprojects,
        pendingTimeoutSeconds: deps.pendingTimeoutSeconds,
        supersedes: autoCi.supersedeRunning ? await olderRunningBuilds(db, build) : [],
        supersedeReason: `Superseded by a newer build of ${supersedeScope(build)} (${(build.sha ?? '').slice(0, 8)}).`,
      };
    },

    /** Persists the step and progress the workflow just reached (never reopening a finished build). */
    async recordProgress(input: {
      buildId: string;
      status: BuildStatus;
      step: BuildStep;
      percent: number;
    }): Promise<void> {
      await updateBuildProgress(db, input.buildId, { status: input.status, step: input.step, percent: input.percent });
    },

    /** Writes the outcome: status, error, finish time and duration, and the closing log line. */
    async finishBuild(input: {
      buildId: string;
      status: BuildStatus;
      error?: { type: string; message: string };
    }): Promise<void> {
      const [build] = await db.select().from(builds).where(eq(builds.id, input.buildId));
      if (!build) return;
      const finishedAt = now();
      const succeeded = input.status === 'Succeeded';
      const tookMs = finishedAt.getTime() - (build.startedAt ?? build.createdAt).getTime();
      // The closing line goes first: whoever sees the final status (UI, API, log stream) finds the whole log.
      await writeSystemLines(db, input.buildId, 'finish', [closingLine(input.status, tookMs, input.error?.message)]);
      await updateBuildProgress(db, input.buildId, {
        status: input.status,
        error: input.error?.message ?? null,
        errorType: input.error?.type ?? null,
        finishedAt,
        ...(succeeded ? { percent: 100, step: 'Done' } : {}),
      });
    },
  };
}

/** The Profile step. */
function buildProfileActivities(deps: BuildRecordDeps) {
  const { db, cipher } = deps;
  return {
    /** The Profile step: Dockerfile, build context and resources for this build. */
    async chooseBuildSettings(input: { buildId: string; detection: DetectionResult }): Promise<ImageBuildSettings> {
      const { build, autoCi } = await load(db, cipher, input.buildId);
      const { detection } = input;
      const sub = build.subproject ? autoCi.subprojects.find((s) => s.name === build.subproject) : undefined;
      if (build.subproject && !sub) {
        throw buildFailure(
          BuildErrorType.ConfigurationError,
          `Sub-project ${build.subproject} is no longer selected in Auto CI settings; select it again or retry the whole build.`,
        );
      }
      const detected = sub ? detection.subprojects.find((s) => s.path === sub.path) : undefined;
      const project = detected
        ? { ...detection, ...detected, buildType: 'single' as const, subprojects: [] }
        : detection;
      const resources = capTimeout(chooseBuildProfile(profileName(autoCi.buildProfile), project), deps.maxBuildSeconds);
      const dockerfilePath = sub?.dockerfilePath ?? pickDockerfile(autoCi.dockerfilePath, detection.dockerfilePath);
      const contextPath = sub?.path ?? '.';
      const how = autoCi.buildProfile === 'auto' ? `chosen for ${describeProject(project)}` : 'set in Auto CI settings';
      await writeSystemLines(db, input.buildId, 'profile', [
        `Build profile: ${resources.profile} (${resources.cpu} CPU, ${resources.memoryMiB / 1024} GiB, ${describeTimeout(resources, deps.maxBuildSeconds)}), ${how}`,
        `Dockerfile: ${dockerfilePath} (build context ${contextPath})`,
      ]);
      return { contextPath, dockerfilePath, resources, dockerfileHint: dockerfileHint(detection, sub?.path) };
    },
  };
}

/** A monorepo parent's sub-project builds. */
function subprojectBuildActivities(deps: BuildRecordDeps) {
  const { db, cipher } = deps;
  return {
    /** Creates (once) the child builds of a monorepo parent: the selected sub-projects its changes touch. */
    async createSubprojectBuilds(input: { parentBuildId: string; detection: DetectionResult }): Promise<ChildBuild[]> {
      const { build, autoCi } = await load(db, cipher, input.parentBuildId);
      const existing = await listChildBuilds(db, [build.id]);
      const changed = autoCi.buildChangedOnly ? build.changedPaths : null;
      const selected = existing.length > 0 ? [] : subprojectsToBuild(autoCi.subprojects, changed, input.detection);
      const children =
        existing.length > 0 ? existing : await Promise.all(selected.map((s) => ensureChildBuild(db, build, s.name)));
      const names = children.map((child) => child.subproject ?? child.id);
      const parallel = Math.min(deps.maxParallelSubprojects, children.length);
      await writeSystemLines(db, build.id, 'subprojects', [
        children.length === 0
          ? 'No selected sub-project is touched by this change: nothing to build.'
          : `Building ${children.length} sub-project${children.length === 1 ? '' : 's'}: ${names.join(', ')} (${parallel} at a time)`,
      ]);
      return children.map((child, index) => ({ buildId: child.id, name: names[index]! }));
    },
  };
}

export type BuildRecordActivities = ReturnType<typeof createBuildRecordActivities>;

async function load(db: Database, cipher: SecretCipher, buildId: string): Promise<BuildForWorkflow> {
  try {
    return await loadBuildForWorkflow(db, cipher, buildId);
  } catch (error) {
    throw buildFailure(BuildErrorType.ConfigurationError, (error as Error).message);
  }
}

// A merge or pull request build replaces older builds of the same merge or pull request only; a branch build only
// branch builds: a fork's merge request from its own `main` must not cancel the real `main` builds.
function supersedeScope(build: BuildRow): string {
  return describeChange(build) ?? build.branch ?? build.ref;
}

function subprojectsToBuild(selected: SubprojectSetting[], changed: string[] | null, detection: DetectionResult) {
  // Every detected folder takes part, so a change to a shared library without a Dockerfile rebuilds everything.
  const candidates = detection.subprojects.map((detected) => {
    const chosen = selected.find((sub) => sub.path === detected.path);
    return { ...detected, dockerfilePath: chosen ? chosen.dockerfilePath : detected.dockerfilePath };
  });
  const touched = new Set(selectSubprojectsForChanges(candidates, changed).map((sub) => sub.path));
  // A selected folder that detection no longer finds is built as configured rather than silently dropped.
  return selected.filter((sub) => touched.has(sub.path) || !candidates.some((c) => c.path === sub.path));
}

function capTimeout(resources: BuildResources, maxSeconds: number | undefined): BuildResources {
  if (maxSeconds === undefined || resources.timeoutSeconds <= maxSeconds) return resources;
  return { ...resources, timeoutSeconds: maxSeconds };
}

function profileName(value: string): 'auto' | SizedBuildProfile {
  return (sizedBuildProfiles as readonly string[]).includes(value) ? (value as SizedBuildProfile) : 'auto';
}

function pickDockerfile(configured: string, detected: string | null): string {
  // The default path yields to a Dockerfile detection found elsewhere; a path the user typed is used as given.
  if (configured === 'Dockerfile' && detected) return detected;
  return configured;
}
