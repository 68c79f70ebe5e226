import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  openGitSession,
  parseRemote,
  type CloneProvider,
  type GitRemote,
  type GitRunnerOptions,
  type GitSession,
} from '../git/git-command';
import { validateGitRef, validateSha } from '../git/git-ref';
import type { LogSink } from '../build-log/log-sink';
import { BuildErrorType, buildFailure } from '../domain/build-error';

/** What the clone activities need: how to run git, where workspaces live, where git's output goes. */
export interface CloneDeps extends GitRunnerOptions {
  /** Parent of every build's workspace (one folder per build id). */
  workspaceRoot: string;
  /** Where git's own output goes for a build (optional). */
  openLog?: (buildId: string) => LogSink;
}

/** One commit to clone for a build, and how to reach it. */
export interface CloneInput {
  buildId: string;
  repositoryUrl: string;
  sha: string;
  ref: string;
  /** Organization Git token; given by the credential helper to the repository's origin only, never argv, URL or logs. */
  token?: string | null;
  /** Who serves the repository, so a refused clone says what to check in its terms (unknown: generic advice). */
  provider?: CloneProvider;
  /** A line for the build log before git runs (e.g. "No Git connection for …; cloning without credentials"). */
  notice?: string | null;
  /** Recurse into submodules (off unless the service enables it). */
  submodules?: boolean;
  /**
   * The sha was named by a person, not by the provider's signed delivery: it must be on `ref` (equal to or an
   * ancestor of its head), or the build stops. Otherwise a commit that only a fork's merge request ref holds could
   * be built, given secrets and deployed as if it were on the branch.
   */
  requireOnRef?: boolean;
}

/** The checkout a clone produced. */
export interface CloneResult {
  /** Absolute path of the checkout. */
  dir: string;
  sha: string;
  ref: string;
  /** The checked-out commit's subject line and author name, as the repository says (untrusted text). */
  commit: { message: string; author: string };
  durationMs: number;
}

/** A branch or tag whose current commit a manual build asks for. */
export interface ResolveCommitInput {
  repositoryUrl: string;
  /** Branch or tag, short (`main`, `v1.2.0`) or full (`refs/heads/main`). */
  ref: string;
  token?: string | null;
  provider?: CloneProvider;
}

/** Clone activities: shallow fetch of exactly one sha into a per-build workspace. */
export function createCloneActivities(deps: CloneDeps) {
  return {
    /**
     * Fetches exactly `sha` (depth 1) into a fresh workspace; credentials go to the repository's origin only, never argv.
     * Cancelled by the activity's cancellation, or by `options.signal` when called outside an activity.
     */
    cloneRepository: (input: CloneInput, options: { signal?: AbortSignal } = {}): Promise<CloneResult> =>
      cloneRepository(deps, input, options.signal),
    /** The commit a branch or tag points to now (annotated tags peeled), via `git ls-remote`; for manual builds. */
    resolveCommit: (input: ResolveCommitInput, options: { signal?: AbortSignal } = {}): Promise<string> =>
      resolveCommit(deps, input, options.signal),
    /** Deletes a build's workspace; safe to call when it does not exist. */
    async removeWorkspace(buildId: string): Promise<void> {
      await rm(workspaceDir(deps.workspaceRoot, buildId), { recursive: true, force: true });
    },
  };
}

async function cloneRepository(deps: CloneDeps, input: CloneInput, signal?: AbortSignal): Promise<CloneResult> {
  const started = Date.now();
  const dir = workspaceDir(deps.workspaceRoot, input.buildId);
  validateSha(input.sha);
  validateGitRef(input.ref);
  const remote = parseRemote(input.repositoryUrl, input.token, deps, input.provider);
  const log = deps.openLog?.(input.buildId);
  if (input.notice) log?.write('system', input.notice);
  const git = await openGitSession(remote, { ...deps, signal, log });
  let commit: CloneResult['commit'];
  try {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await fetchAndCheckout(git, remote.url, dir, input);
    commit = await readCommit(remote, dir, { ...deps, signal });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await git.dispose();
    await log?.flush();
  }
  return { dir, sha: input.sha, ref: input.ref, commit, durationMs: Date.now() - started };
}

/** Into the empty `dir`: exactly the sha (checked to be on its ref when asked), detached, with submodules if on. */
async function fetchAndCheckout(git: GitSession, url: string, dir: string, input: CloneInput): Promise<void> {
  await git.run(['init', '--quiet'], dir);
  const fetch = ['fetch', '--quiet', '--depth', '1', '--no-tags', '--no-recurse-submodules'];
  await git.run([...fetch, '--', url, input.sha], dir);
  if (input.requireOnRef) await requireCommitOnRef(git, url, dir, input.sha, input.ref);
  await git.run(['checkout', '--quiet', '--detach', input.sha, '--'], dir);
  if (input.submodules) await git.run(['submodule', 'update', '--init', '--recursive', '--depth', '1'], dir);
}

async function resolveCommit(deps: CloneDeps, input: ResolveCommitInput, signal?: AbortSignal): Promise<string> {
  validateGitRef(input.ref);
  const remote = parseRemote(input.repositoryUrl, input.token, deps, input.provider);
  const candidates = input.ref.startsWith('refs/')
    ? [`${input.ref}^{}`, input.ref]
    : [`refs/heads/${input.ref}`, `refs/tags/${input.ref}^{}`, `refs/tags/${input.ref}`];
  const scratch = await mkdtemp(path.join(tmpdir(), 'kiln-ls-remote-'));
  const git = await openGitSession(remote, { ...deps, signal });
  try {
    const patterns = candidates.map((ref) => ref.replace(/^refs\/(heads|tags)\//, ''));
    const { stdoutLines } = await git.run(['ls-remote', '--', remote.url, ...new Set(patterns)], scratch);
    const refs = new Map(stdoutLines.map((line) => line.split('\t')).map(([sha, ref]) => [ref ?? '', sha ?? '']));
    const sha = candidates.map((ref) => refs.get(ref)).find((found) => found != null);
    if (sha == null) {
      throw buildFailure(
        BuildErrorType.GitCloneFailed,
        `Git clone failed: the repository has no branch or tag "${input.ref}". Check the branch in Auto CI settings.`,
      );
    }
    return validateSha(sha);
  } finally {
    await git.dispose();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The clone activities' type. */
export type CloneActivities = ReturnType<typeof createCloneActivities>;

// Subject and author only, each capped: the repository decides this text, and it ends up in titles and lists. A
// session of its own without the build log and without credentials (nothing is fetched), so the lines stay out of it.
async function readCommit(remote: GitRemote, dir: string, options: GitRunnerOptions & { signal?: AbortSignal }) {
  const git = await openGitSession({ ...remote, credentials: null }, options);
  const { stdoutLines } = await git
    .run(['log', '-1', '--no-show-signature', '--format=%s%n%an', '--'], dir)
    .finally(() => git.dispose());
  const clean = (text: string | undefined) =>
    (text ?? '')
      .replace(/\p{Cc}/gu, ' ')
      .trim()
      .slice(0, 500);
  return {
    message: clean(stdoutLines[0]),
    author: clean(stdoutLines[1]).slice(0, 200),
  } satisfies CloneResult['commit'];
}

// The branch's history without file contents is enough to tell whether the sha is on it.
async function requireCommitOnRef(git: GitSession, url: string, dir: string, sha: string, ref: string) {
  const fullRef = ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
  await git.run(['fetch', '--quiet', '--filter=blob:none', '--no-tags', '--', url, `+${fullRef}:refs/kiln/on`], dir);
  const base = await git.run(['merge-base', sha, 'refs/kiln/on'], dir).then(
    (result) => result.stdoutLines[0]?.trim(),
    () => undefined, // no common history at all
  );
  if (base === sha) return;
  throw buildFailure(
    BuildErrorType.InvalidGitRef,
    `Commit ${sha.slice(0, 12)} is not on ${fullRef}: a build of a named commit must name a branch or tag that ` +
      'contains it. Pick the right branch, or build the merge request through its webhook.',
  );
}

/** The workspace folder of a build; refuses ids that could escape `workspaceRoot`. */
export function workspaceDir(workspaceRoot: string, buildId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(buildId) || buildId.includes('..')) {
    throw buildFailure(BuildErrorType.ConfigurationError, `Invalid build id ${JSON.stringify(buildId.slice(0, 80))}.`);
  }
  return path.join(path.resolve(workspaceRoot), buildId);
}
