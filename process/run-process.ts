import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ProcessStream } from '../domain/log-stream';

/** Why a child process was stopped by us rather than exiting on its own. */
export type StopReason = 'aborted' | 'timeout' | 'idle';

/** A command to run, its environment, and when to stop it. */
export interface RunProcessOptions {
  command: string;
  /** Passed as argv, never through a shell. */
  args: string[];
  cwd?: string;
  /** The complete environment of the child (build it with `childEnv`). */
  env: NodeJS.ProcessEnv;
  /** Called for every output line, in arrival order, with the stream it came from. */
  onLine?: (stream: ProcessStream, line: string) => void;
  signal?: AbortSignal;
  /** Kill the process group after this long in total. */
  timeoutMs?: number;
  /** Kill the process group after this long without any output line. */
  idleTimeoutMs?: number;
  /** How long SIGTERM gets before SIGKILL. */
  killGraceMs?: number;
}

/** How a command ended. */
export interface RunProcessResult {
  exitCode: number | null;
  /** Set when we stopped the process (cancel, total timeout or idle timeout). */
  stoppedBy: StopReason | null;
  /** The last lines of stderr, for error messages. */
  stderrTail: string[];
  durationMs: number;
}

const tailSize = 40;

/**
 * Runs a command in its own process group, streaming stdout/stderr line by line. A cancel or a timeout kills
 * the whole group (SIGTERM, then SIGKILL after `killGraceMs`) so grandchildren such as RUN steps stop too.
 */
export function runProcess(options: RunProcessOptions): Promise<RunProcessResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawnWithToolUmask(() =>
      spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const stopper = processStopper(child, options);
    const stderrTail: string[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = createInterface({ input: child[stream], crlfDelay: Infinity });
      lines.on('line', (line) => {
        stopper.sawOutput();
        if (stream === 'stderr') pushTail(stderrTail, line);
        options.onLine?.(stream, line);
      });
    }
    stopper.arm();
    child.on('error', (error) => {
      stopper.cleanup();
      reject(error);
    });
    // 'close' fires after both pipes drained, so every line has been delivered before we resolve.
    child.on('close', (exitCode) => {
      stopper.cleanup();
      resolve({ exitCode, stoppedBy: stopper.stoppedBy(), stderrTail, durationMs: Date.now() - started });
    });
  });
}

/** Stops the child's whole group on cancel, on the total timeout or after `idleTimeoutMs` without output. */
function processStopper(child: ChildProcess, options: RunProcessOptions) {
  let stoppedBy: StopReason | null = null;
  const timers: NodeJS.Timeout[] = [];
  let idleTimer: NodeJS.Timeout | undefined;
  const stop = (reason: StopReason) => {
    if (stoppedBy != null || child.exitCode != null) return;
    stoppedBy = reason;
    killGroup(child.pid, 'SIGTERM');
    timers.push(setTimeout(() => killGroup(child.pid, 'SIGKILL'), options.killGraceMs ?? 2000).unref());
  };
  const armIdle = () => {
    if (options.idleTimeoutMs == null) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop('idle'), options.idleTimeoutMs);
  };
  const onAbort = () => stop('aborted');
  return {
    /** Starts the total and idle timers and listens for the cancel. */
    arm() {
      if (options.timeoutMs != null) timers.push(setTimeout(() => stop('timeout'), options.timeoutMs));
      armIdle();
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
    },
    /** An output line restarts the idle timer. */
    sawOutput: armIdle,
    stoppedBy: () => stoppedBy,
    cleanup() {
      timers.forEach(clearTimeout);
      clearTimeout(idleTimer);
      options.signal?.removeEventListener('abort', onAbort);
      // Anything the leader left behind in its group goes too.
      if (stoppedBy != null) killGroup(child.pid, 'SIGKILL');
    },
  };
}

/**
 * Kiln's own files are private (umask 077), but the tools it runs must create files as on any machine: git's
 * checkout modes and buildah's layers end up in images (`COPY` keeps modes), and a 0600 file there breaks an
 * image that runs as a non-root user. The folders they work in are 0700 (`worker/data-dir.ts`). The child
 * inherits the umask when spawn() forks, which happens synchronously inside this call.
 */
function spawnWithToolUmask<T>(start: () => T): T {
  const previous = process.umask(TOOL_UMASK);
  try {
    return start();
  } finally {
    process.umask(previous);
  }
}

const TOOL_UMASK = 0o022;

function pushTail(tail: string[], line: string): void {
  tail.push(line);
  if (tail.length > tailSize) tail.shift();
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid == null) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

const inheritedVariables = [
  'PATH',
  'HOME',
  'USER',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'XDG_RUNTIME_DIR',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  // Proxies and containers configuration the operator set up for git and buildah.
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'CONTAINERS_CONF',
  'CONTAINERS_REGISTRIES_CONF',
  'CONTAINERS_STORAGE_CONF',
];

/**
 * The environment for a tool we run: a few basics from the worker plus `extra`. The worker's own secrets
 * (database URL, encryption keys) are deliberately not passed on to git or builds.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // eslint-disable-next-line no-restricted-properties -- passing basics through to a child, not reading configuration
  const parent = process.env;
  const env: NodeJS.ProcessEnv = {};
  for (const name of inheritedVariables) {
    const value = parent[name];
    if (value != null) env[name] = value;
  }
  env.PATH ??= '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  return { ...env, ...extra };
}
