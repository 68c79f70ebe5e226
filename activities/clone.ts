import { asyncLocalStorage } from '@temporalio/activity';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { BuildErrorType, buildFailure } from './errors';
import { createAskpass, type GitCredentials } from './git-askpass';
import { validateGitRef, validateSha } from './git-ref';
import type { LogSink } from './log-sink';
import { childEnv, runProcess, scrubSecrets, type RunProcessResult } from './process';

export interface CloneDeps {
  /** Parent of every build's workspace (one folder per build id). */
  workspaceRoot: string;
  gitBinary?: string;
  /** URL schemes git may use, also for submodules. Default http and https. */
  allowedProtocols?: string[];
  /** Username sent with the token; GitLab and GitHub accept any non-empty one for tokens. */
  tokenUsername?: string;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  /** Where git's own output goes for a build (optional). */
  openLog?: (buildId: string) => LogSink;
}

export interface CloneInput {
  buildId: string;
  repositoryUrl: string;
  sha: string;
  ref: string;
  /** Organization Git token; sent through askpass, never argv, URL or logs. */
  token?: string;
  /** Recurse into submodules (off unless the service enables it). */
  submodules?: boolean;
}

export interface CloneResult {
  /** Absolute path of the checkout. */
  dir: string;
  sha: string;
  ref: string;
  durationMs: number;
}

const advice = "Check that the organization's Git token has read_repository access.";

/** Clone activities: shallow fetch of exactly one sha into a per-build workspace. */
export function createCloneActivities(deps: CloneDeps) {
  const git = deps.gitBinary ?? 'git';
  const protocols = (deps.allowedProtocols ?? ['http', 'https']).map((p) => p.toLowerCase());

  return {
    /**
     * Fetches exactly `sha` (depth 1) into a fresh workspace; credentials go through askpass, never argv.
     * Cancelled by the activity's cancellation, or by `options.signal` when called outside an activity.
     */
    async cloneRepository(input: CloneInput, options: { signal?: AbortSignal } = {}): Promise<CloneResult> {
      const started = Date.now();
      const dir = workspaceDir(deps.workspaceRoot, input.buildId);
      validateSha(input.sha);
      validateGitRef(input.ref);
      const { url, credentials } = parseRepositoryUrl(input, protocols, deps.tokenUsername ?? 'oauth2');
      const secrets = [credentials?.password, input.token];
      const askpass = await createAskpass(credentials);
      const log = deps.openLog?.(input.buildId);
      const signal = options.signal ?? asyncLocalStorage.getStore()?.cancellationSignal;
      const run = async (args: string[]): Promise<void> => {
        const result = await runProcess({
          command: git,
          args,
          cwd: dir,
          env: childEnv({ ...gitEnv(protocols), ...askpass.env }),
          signal,
          timeoutMs: deps.timeoutMs ?? 10 * 60_000,
          idleTimeoutMs: deps.idleTimeoutMs ?? 5 * 60_000,
          onLine: (stream, line) => log?.write(stream, scrubSecrets(line, secrets)),
        });
        if (result.stoppedBy === 'aborted') throw signal?.reason ?? new Error('The clone was cancelled.');
        if (result.exitCode !== 0) throw cloneFailure(result, args[0] ?? 'git', secrets);
      };
      try {
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir, { recursive: true });
        await run(['init', '--quiet']);
        await run(['fetch', '--quiet', '--depth', '1', '--no-tags', '--no-recurse-submodules', '--', url, input.sha]);
        await run(['checkout', '--quiet', '--detach', input.sha, '--']);
        if (input.submodules) await run(['submodule', 'update', '--init', '--recursive', '--depth', '1']);
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      } finally {
        await askpass.dispose();
        await log?.flush();
      }
      return { dir, sha: input.sha, ref: input.ref, durationMs: Date.now() - started };
    },

    /** Deletes a build's workspace; safe to call when it does not exist. */
    async removeWorkspace(buildId: string): Promise<void> {
      await rm(workspaceDir(deps.workspaceRoot, buildId), { recursive: true, force: true });
    },
  };
}

export type CloneActivities = ReturnType<typeof createCloneActivities>;

/** The workspace folder of a build; refuses ids that could escape `workspaceRoot`. */
export function workspaceDir(workspaceRoot: string, buildId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(buildId) || buildId.includes('..')) {
    throw buildFailure(BuildErrorType.ConfigurationError, `Invalid build id ${JSON.stringify(buildId.slice(0, 80))}.`);
  }
  return path.join(path.resolve(workspaceRoot), buildId);
}

// Global and system config are ignored so a stray `url.insteadOf` or credential helper on the worker
// cannot redirect or leak the fetch; only the allowed protocols may be used, for submodules too.
function gitEnv(protocols: string[]): Record<string, string> {
  return {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ALLOW_PROTOCOL: protocols.join(':'),
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'credential.helper',
    GIT_CONFIG_VALUE_0: '',
  };
}

/** Validates the URL and moves any userinfo out of it into askpass credentials. */
function parseRepositoryUrl(
  input: CloneInput,
  protocols: string[],
  tokenUsername: string,
): { url: string; credentials: GitCredentials | null } {
  let parsed: URL;
  try {
    parsed = new URL(input.repositoryUrl);
  } catch {
    throw cloneInputFailure('the repository URL is not a valid URL');
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!protocols.includes(scheme)) throw cloneInputFailure(`the URL scheme "${scheme}" is not allowed`);
  let credentials: GitCredentials | null = null;
  if (parsed.password !== '') {
    credentials = { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  }
  if (input.token) credentials = { username: tokenUsername, password: input.token };
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), credentials };
}

function cloneInputFailure(problem: string) {
  return buildFailure(BuildErrorType.GitCloneFailed, `Git clone failed: ${problem}. ${advice}`);
}

function cloneFailure(result: RunProcessResult, step: string, secrets: Array<string | undefined>) {
  const said = result.stderrTail
    .map((line) => line.trim().replace(/\.$/, ''))
    .filter((line) => line !== '' && !line.startsWith('hint:'))
    .slice(-3)
    .join(' ');
  const what =
    result.stoppedBy != null
      ? `git ${step} stopped after ${result.stoppedBy === 'idle' ? 'no output for too long' : 'the time limit'}`
      : said || `git ${step} exited with code ${result.exitCode}`;
  return buildFailure(BuildErrorType.GitCloneFailed, `Git clone failed: ${scrubSecrets(what, secrets)}. ${advice}`);
}
