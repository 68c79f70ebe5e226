import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { secretBuildArgRedactions } from '../db/secret-build-args';
import { createCloneActivities, type CloneActivities } from '../activities/clone';
import type { BuildContext, BuilderDriver, BuildOutput, BuildRequest } from './builder';
import { organizationStore } from './buildah';
import { isolationUnavailableFailure, setUpIsolation } from './isolation';
import type { IsolationStatus, LocalIsolationMode } from './isolation';
import { buildAndPush } from './local-build-and-push';
import type { BuildahRunner, LocalJob } from './local-run';
import { validateBuildArgs } from './request-checks';
import { redactSecrets } from '../domain/redact';

/** How the local builder is set up: where its stores live, how it isolates and when it gives up. */
export interface LocalBuilderOptions {
  /** Under KILN_DATA_DIR: one buildah image store per organization (its layer cache), temp files, network config. */
  storageRoot: string;
  /** `oci` (default): isolated RUN steps with the profile's limits; `chroot`: trusted code only (KILN_LOCAL_ISOLATION). */
  isolation?: LocalIsolationMode;
  /** OCI runtime for isolated builds (default `runc`). */
  runtime?: string;
  /** Told once, at construction, how isolation was set up (a warning for chroot, an error when unavailable). */
  onIsolation?: (status: IsolationStatus) => void;
  /** A build printing nothing for this long is stopped (default 5 min). */
  idleTimeoutMs?: number;
  /** Where to clone when the request has no `checkoutDir` (default `<storageRoot>/workspaces`). */
  workspaceRoot?: string;
  buildahBinary?: string;
  /** How long buildah gets after SIGTERM before SIGKILL on cancel or timeout (default 2 s). */
  killGraceMs?: number;
}

const heartbeatEveryMs = 10_000;

/**
 * The `local` driver: `buildah bud --layers` on this machine with every RUN step isolated by runc (own
 * namespaces, the firewalled build network, a cgroup with the profile's CPU and memory), in the organization's
 * own image store; then `buildah push` of every tag with the credentials in a temporary auth file, then the
 * manifest digest read back from the registry. Refuses every build when isolation cannot be set up, unless the
 * operator chose `chroot`.
 */
export function createLocalBuilder(options: LocalBuilderOptions): BuilderDriver {
  const runner: BuildahRunner = {
    buildah: options.buildahBinary ?? 'buildah',
    idleTimeoutMs: options.idleTimeoutMs ?? 5 * 60_000,
    killGraceMs: options.killGraceMs,
    running: new Map(),
  };
  const workspaceRoot = options.workspaceRoot ?? path.join(options.storageRoot, 'workspaces');
  const isolation = setUpIsolation({
    mode: options.isolation ?? 'oci',
    stateDir: options.storageRoot,
    runtime: options.runtime,
  });
  void isolation.then((status) => options.onIsolation?.(status));

  return {
    name: 'local',
    async build(request: BuildRequest, ctx: BuildContext): Promise<BuildOutput> {
      validateBuildArgs(request.buildArgs, request.secretBuildArgs);
      const status = await isolation;
      if (status.mode === 'unavailable') throw isolationUnavailableFailure(status.message);
      const job = await openJob(options.storageRoot, status, request, ctx);
      const { running } = runner;
      running.set(job.store, (running.get(job.store) ?? 0) + 1);
      const beat = setInterval(() => ctx.heartbeat({ step: 'build' }), heartbeatEveryMs);
      const clone = createCloneActivities({ workspaceRoot });
      try {
        return await buildAndPush(runner, job, await checkoutFor(job, clone));
      } finally {
        clearInterval(beat);
        running.set(job.store, (running.get(job.store) ?? 1) - 1);
        await closeJob(job, clone);
      }
    },
  };
}

/** Prepares the build's isolation and its temp folder, and names the secrets its log must hide. */
async function openJob(
  storageRoot: string,
  status: Exclude<IsolationStatus, { mode: 'unavailable' }>,
  request: BuildRequest,
  ctx: BuildContext,
): Promise<LocalJob> {
  const store = organizationStore(storageRoot, request.organizationId);
  const prepared = await status.prepare(request.buildId, request.resources);
  await mkdir(path.join(storageRoot, 'tmp'), { recursive: true });
  // buildah's temp files (layer blobs during push) go to a per-build folder removed afterwards.
  const tmpDir = await mkdtemp(path.join(storageRoot, 'tmp', 'build-'));
  return {
    request,
    ctx,
    tmpDir,
    store,
    isolation: prepared,
    deadline: Date.now() + request.resources.timeoutSeconds * 1000,
    secrets: [
      request.registry.password,
      request.source.token,
      ...secretBuildArgRedactions(request.secretBuildArgs ?? {}),
    ],
  };
}

/** The checkout the request brings, or a fresh clone of exactly its commit. */
async function checkoutFor({ request, ctx, secrets }: LocalJob, clone: CloneActivities): Promise<string> {
  if (request.source.checkoutDir != null) return request.source.checkoutDir;
  ctx.log.write('system', `Cloning ${redactSecrets(request.source.repositoryUrl, secrets)} at ${request.source.sha}`);
  const input = { buildId: request.buildId, ...request.source };
  return (await clone.cloneRepository(input, { signal: ctx.signal })).dir;
}

/** Releases the isolation, removes the temp folder and any clone of ours, and flushes the log. */
async function closeJob({ request, ctx, isolation, tmpDir }: LocalJob, clone: CloneActivities): Promise<void> {
  await isolation.dispose();
  await rm(tmpDir, { recursive: true, force: true });
  if (request.source.checkoutDir == null) await clone.removeWorkspace(request.buildId);
  await ctx.log.flush();
}
