import { childEnv, runProcess, type RunProcessResult } from '../process/run-process';
import type { ProcessStream } from '../domain/log-stream';
import { createRedactor } from '../domain/redact';
import type { BuildContext, BuildRequest } from './builder';
import { buildahFailure, buildahStorageArgs } from './buildah';
import { outOfMemoryFailure, type BuildIsolation } from './isolation';

/** How the local builder runs buildah, and how many builds use each organization's store right now. */
export interface BuildahRunner {
  buildah: string;
  idleTimeoutMs: number;
  killGraceMs?: number;
  /** Builds running per buildah store, so a cancel sweeps leftover containers only when it was alone. */
  running: Map<string, number>;
}

/** One local build in progress: its request, where it writes, its isolation and what its log must hide. */
export interface LocalJob {
  request: BuildRequest;
  ctx: BuildContext;
  tmpDir: string;
  /** The organization's buildah store (see organizationStore). */
  store: string;
  isolation: BuildIsolation;
  deadline: number;
  secrets: Array<string | undefined>;
}

/** Runs one buildah command with output streamed to the build log; throws the user-facing failure. */
export async function runBuildah(
  runner: BuildahRunner,
  step: 'build' | 'push',
  args: string[],
  job: LocalJob,
  env: Record<string, string> = {},
): Promise<void> {
  const { ctx } = job;
  ctx.log.write('system', `$ buildah ${args.join(' ')}`);
  const result = await runProcess({
    command: runner.buildah,
    args: [...buildahStorageArgs(job.store), ...args],
    env: childEnv({ ...env, TMPDIR: job.tmpDir }),
    signal: ctx.signal,
    timeoutMs: Math.max(job.deadline - Date.now(), 1),
    idleTimeoutMs: runner.idleTimeoutMs,
    killGraceMs: runner.killGraceMs,
    onLine: logAndHeartbeat(job, step),
  });
  await throwIfFailed(runner, step, job, result);
}

/** Each line goes to the build log redacted; a heartbeat goes out at most once a second. */
function logAndHeartbeat(job: LocalJob, step: 'build' | 'push') {
  const redact = createRedactor(job.secrets);
  let lastBeat = 0;
  return (stream: ProcessStream, line: string) => {
    job.ctx.log.write(stream, redact(line));
    if (Date.now() - lastBeat > 1000) {
      lastBeat = Date.now();
      job.ctx.heartbeat({ step });
    }
  };
}

async function throwIfFailed(
  runner: BuildahRunner,
  step: 'build' | 'push',
  job: LocalJob,
  result: RunProcessResult,
): Promise<void> {
  const { request, ctx } = job;
  if (result.stoppedBy === 'aborted') {
    // Other builds may share the store: only sweep leftover working containers when we are alone.
    if (runner.running.get(job.store) === 1) {
      const sweep = [...buildahStorageArgs(job.store), 'rm', '--all'];
      await runProcess({ command: runner.buildah, args: sweep, env: childEnv() });
    }
    throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('The build was cancelled.');
  }
  if (result.exitCode !== 0 && result.stoppedBy == null && (await job.isolation.outOfMemory())) {
    throw outOfMemoryFailure(request.resources);
  }
  if (result.exitCode !== 0) {
    const { registry, resources } = request;
    throw buildahFailure(result, { step, registry, resources, idleTimeoutMs: runner.idleTimeoutMs });
  }
}
