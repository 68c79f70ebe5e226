import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { secretBuildArgRedactions } from '../db/secret-build-args';
import { createCloneActivities } from '../activities/clone';
import { childEnv, runProcess, type RunProcessResult } from '../process/run-process';
import { checkRegistryLogin, getManifestDigest } from '../clients/registry';
import type { BuildContext, BuilderDriver, BuildOutput, BuildRequest } from './builder';
import { buildahFailure, buildahStorageArgs, organizationStore, writeAuthFile, writeBuildSecretFiles } from './buildah';
import { isolationUnavailableFailure, outOfMemoryFailure, setUpIsolation } from './isolation';
import type { BuildIsolation, IsolationStatus, LocalIsolationMode } from './isolation';
import { assertImagesOnRegistry, buildArgsFor, resolvePaths, validateBuildArgs } from './request-checks';
import { wizardDockerfileLine, wizardFilesFor } from './wizard-dockerfile';
import { parseImageReference } from '../domain/image-name';
import { createRedactor, redactSecrets } from '../domain/redact';

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
  const buildah = options.buildahBinary ?? 'buildah';
  const idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
  const workspaceRoot = options.workspaceRoot ?? path.join(options.storageRoot, 'workspaces');
  const running = new Map<string, number>();
  const isolation = setUpIsolation({
    mode: options.isolation ?? 'oci',
    stateDir: options.storageRoot,
    runtime: options.runtime,
  });
  void isolation.then((status) => options.onIsolation?.(status));

  /** Runs one buildah command with output streamed to the build log; throws the user-facing failure. */
  async function run(
    step: 'build' | 'push',
    args: string[],
    job: Job,
    env: Record<string, string> = {},
  ): Promise<void> {
    const { request, ctx } = job;
    const fullArgs = [...buildahStorageArgs(job.store), ...args];
    const redact = createRedactor(job.secrets);
    ctx.log.write('system', `$ buildah ${args.join(' ')}`);
    let lastBeat = 0;
    const result: RunProcessResult = await runProcess({
      command: buildah,
      args: fullArgs,
      env: childEnv({ ...env, TMPDIR: job.tmpDir }),
      signal: ctx.signal,
      timeoutMs: Math.max(job.deadline - Date.now(), 1),
      idleTimeoutMs,
      killGraceMs: options.killGraceMs,
      onLine: (stream, line) => {
        ctx.log.write(stream, redact(line));
        if (Date.now() - lastBeat > 1000) {
          lastBeat = Date.now();
          ctx.heartbeat({ step });
        }
      },
    });
    if (result.stoppedBy === 'aborted') {
      // Other builds may share the store: only sweep leftover working containers when we are alone.
      if (running.get(job.store) === 1) {
        const sweep = [...buildahStorageArgs(job.store), 'rm', '--all'];
        await runProcess({ command: buildah, args: sweep, env: childEnv() });
      }
      throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('The build was cancelled.');
    }
    if (result.exitCode !== 0 && result.stoppedBy == null && (await job.isolation.outOfMemory())) {
      throw outOfMemoryFailure(request.resources);
    }
    if (result.exitCode !== 0) {
      throw buildahFailure(result, { step, registry: request.registry, resources: request.resources, idleTimeoutMs });
    }
  }

  async function buildAndPush(job: Job, checkoutDir: string): Promise<BuildOutput> {
    const { request, ctx } = job;
    const wizard = await wizardFilesFor(checkoutDir, request, job.tmpDir);
    if (wizard) ctx.log.write('system', wizardDockerfileLine);
    const { contextDir, dockerfile } = await resolvePaths(checkoutDir, request, wizard?.dockerfile);
    assertImagesOnRegistry(request);
    await checkRegistryLogin(request.registry);
    const auth = await writeAuthFile(request.registry);
    try {
      // buildah 1.28 has no per-registry switch on the command line, so an insecure target registry also
      // relaxes TLS for base images pulled during that build; only use `insecure` for local registries.
      const tls = request.registry.insecure ? ['--tls-verify=false'] : [];
      const buildArgs = buildArgsFor(request.buildArgs);
      const secrets = await writeBuildSecretFiles(job.tmpDir, request.secretBuildArgs ?? {});
      const tags = request.images.flatMap((image) => ['--tag', image]);
      const layers = request.untrusted ? '--layers=false' : '--layers';
      const ignore = wizard?.ignoreFile ? ['--ignorefile', wizard.ignoreFile] : [];
      const bud = [
        'bud',
        ...job.isolation.budArgs,
        layers,
        '--authfile',
        auth.path,
        ...tls,
        ...ignore,
        '-f',
        dockerfile,
      ];
      await run('build', [...bud, ...buildArgs.argv, ...secrets, ...tags, contextDir], job, buildArgs.env);
      ctx.phase?.('push');
      for (const image of request.images) {
        await run('push', ['push', '--authfile', auth.path, ...tls, image, `docker://${image}`], job);
      }
    } finally {
      await auth.dispose();
    }
    const first = parseImageReference(request.images[0] ?? '');
    const digest = await getManifestDigest(request.registry, first.repository, first.tag);
    ctx.log.write('system', `Pushed ${request.images.join(', ')} (${digest})`);
    return { digest, images: request.images };
  }

  return {
    name: 'local',
    async build(request: BuildRequest, ctx: BuildContext): Promise<BuildOutput> {
      validateBuildArgs(request.buildArgs, request.secretBuildArgs);
      const status = await isolation;
      if (status.mode === 'unavailable') throw isolationUnavailableFailure(status.message);
      const store = organizationStore(options.storageRoot, request.organizationId);
      const prepared = await status.prepare(request.buildId, request.resources);
      await mkdir(path.join(options.storageRoot, 'tmp'), { recursive: true });
      // buildah's temp files (layer blobs during push) go to a per-build folder removed afterwards.
      const tmpDir = await mkdtemp(path.join(options.storageRoot, 'tmp', 'build-'));
      running.set(store, (running.get(store) ?? 0) + 1);
      const beat = setInterval(() => ctx.heartbeat({ step: 'build' }), heartbeatEveryMs);
      const job: Job = {
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
      const clone = createCloneActivities({ workspaceRoot });
      try {
        let checkoutDir = request.source.checkoutDir;
        if (checkoutDir == null) {
          ctx.log.write(
            'system',
            `Cloning ${redactSecrets(request.source.repositoryUrl, job.secrets)} at ${request.source.sha}`,
          );
          const input = { buildId: request.buildId, ...request.source };
          checkoutDir = (await clone.cloneRepository(input, { signal: ctx.signal })).dir;
        }
        return await buildAndPush(job, checkoutDir);
      } finally {
        clearInterval(beat);
        running.set(store, (running.get(store) ?? 1) - 1);
        await prepared.dispose();
        await rm(tmpDir, { recursive: true, force: true });
        if (request.source.checkoutDir == null) await clone.removeWorkspace(request.buildId);
        await ctx.log.flush();
      }
    },
  };
}

interface Job {
  request: BuildRequest;
  ctx: BuildContext;
  tmpDir: string;
  /** The organization's buildah store (see organizationStore). */
  store: string;
  isolation: BuildIsolation;
  deadline: number;
  secrets: Array<string | undefined>;
}
