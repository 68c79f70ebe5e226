import { existsSync } from 'node:fs';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { loadBuildForWorkflow, updateBuildProgress } from '../db/builds';
import type { BuildForWorkflow } from '../db/builds';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import { changeImageTag } from '../domain/merge-request';
import { builderProgressSignal } from '../workflows/messages';
import type { BuilderProgress } from '../workflows/messages';
import { stepStartPercent } from '../workflows/progress';
import type { ImageBuildSettings } from './build-records';
import { openBuildLog } from '../build-log/build-log';
import type { BuilderDriver, BuildOutput, BuildRequest } from '../builders/builder';
import { cloneProviderFor } from '../git/git-command';
import type { LogSink } from '../build-log/log-sink';
import { startOutputWatchdog } from '../build-log/output-watchdog';
import { ensureHarborProject } from '../clients/harbor';
import { getManifestDigest, requireRegistryPassword, type RegistryAuth } from '../clients/registry';
import { imageReferences, imageRepository, parseImageReference } from '../domain/image-name';
import type { LogStream } from '../domain/log-stream';
import { BuildErrorType, buildFailure } from '../domain/build-error';

export interface ImageBuildDeps {
  db: Database;
  cipher: SecretCipher;
  driver: BuilderDriver;
  /** Used to tell the build's own workflow how far the builder got. */
  temporal: Client;
  /** A build printing nothing for this long is stopped (`KILN_BUILD_IDLE_TIMEOUT_SECONDS`). */
  idleTimeoutMs: number;
}

export interface BuildImageInput extends ImageBuildSettings {
  buildId: string;
  checkoutDir: string;
}

/** What survives a worker crash in the activity's heartbeat: a push that already happened is not repeated. */
interface BuildHeartbeat {
  pushedDigest?: string;
}

/** The builder activity: builds and pushes one image with the configured driver, streaming its output. */
export function createImageBuildActivities(deps: ImageBuildDeps) {
  return {
    /** The Build and Push steps. Runs on the builder queue, one per build slot. */
    async buildImage(input: BuildImageInput): Promise<BuildOutput> {
      const ctx = Context.current();
      const loaded = await loadBuildForWorkflow(deps.db, deps.cipher, input.buildId);
      const request = buildRequest(loaded, input);
      const resumed = await alreadyPushed(request, ctx.info.heartbeatDetails as BuildHeartbeat | undefined);
      if (resumed) {
        await updateBuildProgress(deps.db, input.buildId, { images: resumed.images, digest: resumed.digest });
        return resumed;
      }

      const reporter = progressReporter(deps, ctx);
      const watchdog = startOutputWatchdog(ctx.cancellationSignal, deps.idleTimeoutMs);
      const log = watchdog.watch(
        trackSteps(openBuildLog(deps.db, input.buildId, 'build', loaded.secrets), reporter.report),
      );
      if (ctx.info.attempt > 1) {
        log.write(
          'system',
          `Builder attempt ${ctx.info.attempt}: the previous attempt did not finish (its worker was lost or hit a passing error); building again.`,
        );
      }
      const withheld = loaded.autoCi.withheldSecretBuildArgs;
      if (withheld.length > 0) {
        log.write(
          'system',
          `Secret build args ${withheld.join(', ')} are not given to merge or pull request builds (their code is not trusted yet); RUN --mount=type=secret steps find no file.`,
        );
      }
      // Every heartbeat carries the latest details: a later beat must not erase the record of a finished push.
      let details: BuildHeartbeat = {};
      const beat = setInterval(() => ctx.heartbeat(details), 1000);
      try {
        await ensureRegistryProject(loaded, log);
        const output = await deps.driver.build(request, {
          log,
          signal: watchdog.signal,
          heartbeat: () => ctx.heartbeat(details),
          phase: (phase) => phase === 'push' && reporter.report({ step: 'Push', percent: stepStartPercent.Push }),
        });
        details = { pushedDigest: output.digest };
        ctx.heartbeat(details);
        await updateBuildProgress(deps.db, input.buildId, { images: output.images, digest: output.digest });
        return output;
      } catch (error) {
        if (watchdog.signal.aborted) throw watchdog.signal.reason;
        throw withDockerfileHint(error, input.dockerfileHint);
      } finally {
        clearInterval(beat);
        watchdog.dispose();
        await log.flush().catch(() => undefined);
        await reporter.settle();
      }
    },
  };
}

export type ImageBuildActivities = ReturnType<typeof createImageBuildActivities>;

function buildRequest(loaded: BuildForWorkflow, input: BuildImageInput): BuildRequest {
  const { build, service, registry, autoCi } = loaded;
  if (!registry) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      `Service ${service.name} has no registry: add one in the service settings, then retry the build.`,
    );
  }
  if (!build.sha) throw buildFailure(BuildErrorType.ConfigurationError, 'The build has no commit to build.');
  requireRegistryPassword(registry);
  const name = build.subproject ?? autoCi.imageName;
  const naming = { registryHost: registry.host, project: registry.project, prefix: autoCi.imagePrefix, name };
  const auth: RegistryAuth = {
    host: registry.host,
    username: registry.username,
    password: registry.password,
    insecure: registry.insecure,
  };
  return {
    buildId: build.id,
    organizationId: service.organizationId,
    source: {
      repositoryUrl: service.repoUrl,
      sha: build.sha,
      ref: build.ref,
      token: loaded.git?.token,
      provider: cloneProviderFor(service.gitProvider, loaded.git),
      checkoutDir: existsSync(input.checkoutDir) ? input.checkoutDir : undefined,
    },
    contextPath: input.contextPath,
    dockerfilePath: input.dockerfilePath,
    buildArgs: autoCi.buildArgs,
    // Stored for the repository root only: a sub-project's build context would not match it.
    wizardDockerfile: build.subproject ? undefined : (autoCi.wizardDockerfile ?? undefined),
    secretBuildArgs: autoCi.secretBuildArgs,
    untrusted: !loaded.trusted,
    images: imageReferences({
      ...naming,
      sha: build.sha,
      branch: build.branch ?? undefined,
      tag: build.tag ?? undefined,
      mergeRequestIid: build.mergeRequestIid,
      pullRequestNumber: build.pullRequestNumber,
    }),
    cacheRef: `${imageRepository(naming)}:${cacheTag(build)}`,
    registry: auth,
    resources: input.resources,
  };
}

// Whichever builder found no Dockerfile, a monorepo's build says where its sub-projects are chosen.
function withDockerfileHint(error: unknown, hint: string | undefined): unknown {
  if (!hint || !(error instanceof ApplicationFailure) || error.type !== BuildErrorType.DockerfileNotFound) return error;
  return buildFailure(BuildErrorType.DockerfileNotFound, `${error.message} ${hint}`);
}

// Merge and pull request builds keep their own layer cache, so unmerged code cannot seed the one branch builds reuse.
function cacheTag(build: BuildForWorkflow['build']): string {
  const change = changeImageTag(build);
  return change !== undefined ? `buildcache-${change}` : 'buildcache';
}

/** After a worker crash mid-build: if the previous attempt's push is on the registry, report it instead of rebuilding. */
async function alreadyPushed(
  request: BuildRequest,
  heartbeat: BuildHeartbeat | undefined,
): Promise<BuildOutput | null> {
  if (!heartbeat?.pushedDigest) return null;
  const first = parseImageReference(request.images[0]!);
  const digest = await getManifestDigest(request.registry, first.repository, first.tag).catch(() => null);
  return digest === heartbeat.pushedDigest ? { digest, images: request.images } : null;
}

/**
 * Signals builder progress to the build's workflow, at most once a second: the workflow alone writes progress to
 * the database (and to a monorepo parent), so there is one channel.
 */
function progressReporter(deps: ImageBuildDeps, ctx: Context) {
  const execution = ctx.info.workflowExecution;
  const handle = execution && deps.temporal.workflow.getHandle(execution.workflowId, execution.runId);
  let pending: Promise<unknown> = Promise.resolve();
  let last: BuilderProgress = { step: 'Build', percent: stepStartPercent.Build };
  let lastSentAt = 0;
  return {
    report(next: BuilderProgress): void {
      const stepChanged = next.step !== last.step;
      if (next.percent <= last.percent && !stepChanged) return;
      last = next;
      if (!stepChanged && Date.now() - lastSentAt < 1000) return;
      lastSentAt = Date.now();
      const update = { ...next };
      pending = pending.then(() => handle?.signal(builderProgressSignal, update).catch(() => undefined));
    },
    settle: () => pending,
  };
}

// buildah prints `STEP 3/7: RUN …`; BuildKit prints `#8 [3/7] RUN …`.
const stepPattern = /^(?:STEP (\d+)\/(\d+)|#\d+ \[(?:[\w.-]+ )?(\d+)\/(\d+)\])/;

/** Passes every line through, turning Dockerfile step counters into progress between Build and Push. */
function trackSteps(log: LogSink, report: (progress: BuilderProgress) => void): LogSink {
  const span = stepStartPercent.Push - stepStartPercent.Build;
  return {
    write(stream: LogStream, line: string) {
      log.write(stream, line);
      const match = stepPattern.exec(line);
      if (!match) return;
      const done = Number(match[1] ?? match[3]);
      const total = Number(match[2] ?? match[4]);
      if (total > 0 && done <= total) {
        report({ step: 'Build', percent: stepStartPercent.Build + Math.floor((span * (done - 1)) / total) });
      }
    },
    flush: () => log.flush(),
  };
}

/** Harbor refuses pushes into a project that does not exist, so Kiln creates it first (a no-op when it exists). */
async function ensureRegistryProject(loaded: BuildForWorkflow, log: LogSink): Promise<void> {
  const registry = loaded.registry;
  if (registry?.kind !== 'harbor') return;
  const project = registry.project.split('/')[0]!;
  try {
    const result = await ensureHarborProject({
      url: `${registry.insecure ? 'http' : 'https'}://${registry.host}`,
      project,
      auth: { username: registry.username, password: registry.password },
    });
    if (result.created) log.write('system', `Created Harbor project ${result.project}`);
  } catch (error) {
    // Robot accounts may push without being allowed to read projects: the push itself has the last word.
    log.write(
      'system',
      `Could not make sure Harbor project ${project} exists (${(error as Error).message}); pushing anyway.`,
    );
  }
}
