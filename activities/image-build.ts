import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { loadBuildForWorkflow, updateBuildProgress } from '../db/builds';
import type { BuildForWorkflow } from '../db/builds';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import { stepStartPercent } from '../workflows/progress';
import type { ImageBuildSettings } from './build-records';
import { progressReporter, trackSteps } from './image-build-progress';
import { openBuildLog } from '../build-log/build-log';
import type { BuilderDriver, BuildOutput, BuildRequest } from '../builders/builder';
import { buildRequest } from '../builders/build-request';
import type { LogSink } from '../build-log/log-sink';
import { startOutputWatchdog } from '../build-log/output-watchdog';
import { ensureHarborProject } from '../clients/harbor';
import { getManifestDigest } from '../clients/registry';
import { parseImageReference } from '../domain/image-name';
import { BuildErrorType, buildFailure } from '../domain/build-error';

/** What the builder activity needs: the database, the cipher, a driver, the Temporal client and the idle limit. */
export interface ImageBuildDeps {
  db: Database;
  cipher: SecretCipher;
  driver: BuilderDriver;
  /** Used to tell the build's own workflow how far the builder got. */
  temporal: Client;
  /** A build printing nothing for this long is stopped (`KILN_BUILD_IDLE_TIMEOUT_SECONDS`). */
  idleTimeoutMs: number;
}

/** One image to build: the Profile step's settings, the build and the worker's checkout. */
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
      return runDriver(deps, ctx, loaded, request, input);
    },
  };
}

/** Runs the driver with the build log, the output watchdog, progress and heartbeats; records what it pushed. */
async function runDriver(
  deps: ImageBuildDeps,
  ctx: Context,
  loaded: BuildForWorkflow,
  request: BuildRequest,
  input: BuildImageInput,
): Promise<BuildOutput> {
  const reporter = progressReporter(deps.temporal, ctx);
  const watchdog = startOutputWatchdog(ctx.cancellationSignal, deps.idleTimeoutMs);
  const log = watchdog.watch(
    trackSteps(openBuildLog(deps.db, input.buildId, 'build', loaded.secrets), reporter.report),
  );
  for (const line of buildNotices(ctx.info.attempt, loaded.autoCi.withheldSecretBuildArgs)) log.write('system', line);
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
}

/** What the build log says before the builder starts: a repeated attempt, secret build args withheld. */
function buildNotices(attempt: number, withheld: string[]): string[] {
  const notices: string[] = [];
  if (attempt > 1) {
    notices.push(
      `Builder attempt ${attempt}: the previous attempt did not finish (its worker was lost or hit a passing error); building again.`,
    );
  }
  if (withheld.length > 0) {
    notices.push(
      `Secret build args ${withheld.join(', ')} are not given to merge or pull request builds (their code is not trusted yet); RUN --mount=type=secret steps find no file.`,
    );
  }
  return notices;
}

/** The builder activity's type. */
export type ImageBuildActivities = ReturnType<typeof createImageBuildActivities>;

// Whichever builder found no Dockerfile, a monorepo's build says where its sub-projects are chosen.
function withDockerfileHint(error: unknown, hint: string | undefined): unknown {
  if (!hint || !(error instanceof ApplicationFailure) || error.type !== BuildErrorType.DockerfileNotFound) return error;
  return buildFailure(BuildErrorType.DockerfileNotFound, `${error.message} ${hint}`);
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
