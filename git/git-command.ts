import { asyncLocalStorage } from '@temporalio/activity';
import { originOf } from '../domain/credentials';
import { createCredentialHelper, type GitCredentials } from './git-credential-helper';
import type { LogSink } from '../build-log/log-sink';
import { childEnv, runProcess, type RunProcessResult } from '../process/run-process';
import { BuildErrorType, buildFailure } from '../domain/build-error';
import { createRedactor, redactSecrets } from '../domain/redact';

/** How git runs: which binary, which URL schemes, which token username and how long it may take. */
export interface GitRunnerOptions {
  gitBinary?: string;
  /** URL schemes git may use, also for submodules. Default http and https. */
  allowedProtocols?: string[];
  /** Username sent with the token; GitLab and GitHub accept any non-empty one for tokens. */
  tokenUsername?: string;
  timeoutMs?: number;
  idleTimeoutMs?: number;
}

/** A remote to talk to: its URL without credentials, and the credentials bound to that URL's origin. */
export interface GitRemote {
  url: string;
  credentials: GitCredentials | null;
  /** Values to scrub from anything we show (token, URL password). */
  secrets: Array<string | undefined>;
  /** What to check when git refuses the credentials, in the terms of the repository's provider. */
  advice: string;
}

/** A git that holds one remote's credentials until disposed. */
export interface GitSession {
  /** Runs git with `args` (argv, never a shell); throws "Git clone failed" with what git said, scrubbed. */
  run(args: string[], cwd: string): Promise<RunProcessResult & { stdoutLines: string[] }>;
  dispose(): Promise<void>;
}

/** Who serves the repository: GitLab or GitHub (with their APIs), or a plain git server (a connection without one). */
export type CloneProvider = 'gitlab' | 'github' | 'plain';

const adviceByProvider: Record<CloneProvider, string> = {
  gitlab: "Check that the organization's GitLab token has read_repository access (or api).",
  github:
    "Check that the organization's GitHub token may read this repository: Contents: read (fine-grained) or the repo scope (classic).",
  plain: "Check the token or password of the organization's Git connection for this server.",
};

/** The provider a clone speaks to: the service's kind, or `plain` when its connection has no provider API. */
export function cloneProviderFor(
  kind: 'gitlab' | 'github',
  connection: { providerApi: boolean } | null,
): CloneProvider {
  return connection && !connection.providerApi ? 'plain' : kind;
}

/** What to say after "Git clone failed" when git ran with credentials, in the provider's own terms. */
export function cloneAdvice(provider: CloneProvider | undefined): string {
  return provider ? adviceByProvider[provider] : "Check that the organization's Git token can read the repository.";
}
/** Said instead when git ran without credentials: no connection (or no token) for the repository's origin. */
export const anonymousCloneAdvice =
  'Kiln cloned without credentials (no Git token is registered for this exact address): an organization admin registers one in organization settings (Git providers), or make the repository public.';

/** Starts a git session for `remote`: origin-bound credentials, hardened config, cancel and time limits. */
export async function openGitSession(
  remote: GitRemote,
  options: GitRunnerOptions & { signal?: AbortSignal; log?: LogSink },
): Promise<GitSession> {
  const helper = await createCredentialHelper(remote.credentials, hardenedConfig);
  const signal = options.signal ?? asyncLocalStorage.getStore()?.cancellationSignal;
  const env = childEnv({ ...gitEnv(allowedProtocols(options)), ...helper.env });
  const redact = createRedactor(remote.secrets);
  return {
    async run(args, cwd) {
      const stdoutLines: string[] = [];
      const result = await runProcess({
        command: options.gitBinary ?? 'git',
        args,
        cwd,
        env,
        signal,
        timeoutMs: options.timeoutMs ?? 10 * 60_000,
        idleTimeoutMs: options.idleTimeoutMs ?? 5 * 60_000,
        onLine: (stream, line) => {
          if (stream === 'stdout') stdoutLines.push(line);
          options.log?.write(stream, redact(line));
        },
      });
      if (result.stoppedBy === 'aborted') throw signal?.reason ?? new Error('The git command was cancelled.');
      if (result.exitCode !== 0) throw gitFailure(result, args[0] ?? 'git', remote);
      return { ...result, stdoutLines };
    },
    dispose: () => helper.dispose(),
  };
}

function allowedProtocols(options: GitRunnerOptions): string[] {
  return (options.allowedProtocols ?? ['http', 'https']).map((p) => p.toLowerCase());
}

// Global and system config are ignored so a stray `url.insteadOf`, `http.extraHeader` or credential helper on
// the worker cannot redirect or leak the fetch; only the allowed protocols may be used, for submodules too.
function gitEnv(protocols: string[]): Record<string, string> {
  return { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_ALLOW_PROTOCOL: protocols.join(':') };
}

// Redirects are followed on the first request only (git's default, stated so no config can widen it): a
// renamed project still clones, and a redirect to another origin gets no credentials from the helper.
const hardenedConfig: Record<string, string> = { 'http.followRedirects': 'initial' };

/** Validates the URL and moves any userinfo out of it into origin-bound credentials; `token` wins over userinfo. */
export function parseRemote(
  repositoryUrl: string,
  token: string | null | undefined,
  options: GitRunnerOptions,
  provider?: CloneProvider,
): GitRemote {
  const advice = cloneAdvice(provider);
  let parsed: URL;
  try {
    parsed = new URL(repositoryUrl);
  } catch {
    throw gitInputFailure('the repository URL is not a valid URL', advice);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!allowedProtocols(options).includes(scheme))
    throw gitInputFailure(`the URL scheme "${scheme}" is not allowed`, advice);
  const origin = originOf(parsed.toString());
  let credentials: Omit<GitCredentials, 'origin'> | null = null;
  if (parsed.password !== '') {
    credentials = { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  }
  if (token) credentials = { username: options.tokenUsername ?? 'oauth2', password: token };
  if (credentials && /[\0\r\n]/.test(credentials.username + credentials.password)) {
    throw gitInputFailure('the credentials contain a line break or NUL', advice);
  }
  parsed.username = '';
  parsed.password = '';
  return {
    url: parsed.toString(),
    // The helper gives them to this origin only: not to submodules on other hosts, nor after a redirect away.
    credentials: credentials && origin ? { ...credentials, origin } : null,
    secrets: [credentials?.password, token ?? undefined],
    advice,
  };
}

function gitInputFailure(problem: string, advice: string) {
  return buildFailure(BuildErrorType.GitCloneFailed, `Git clone failed: ${problem}. ${advice}`);
}

function gitFailure(result: RunProcessResult, step: string, { secrets, credentials, advice }: GitRemote) {
  const said = result.stderrTail
    .map((line) => line.trim().replace(/\.$/, ''))
    .filter((line) => line !== '' && !line.startsWith('hint:'))
    .slice(-3)
    .join(' ');
  const what =
    result.stoppedBy != null
      ? `git ${step} stopped after ${result.stoppedBy === 'idle' ? 'no output for too long' : 'the time limit'}`
      : said || `git ${step} exited with code ${result.exitCode}`;
  return buildFailure(
    BuildErrorType.GitCloneFailed,
    `Git clone failed: ${redactSecrets(what, secrets)}. ${credentials ? advice : anonymousCloneAdvice}`,
  );
}
