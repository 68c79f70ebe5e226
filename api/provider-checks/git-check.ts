import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openGitSession, parseRemote } from '../../git/git-command';
import { originOf } from '../../domain/credentials';
import { apiError } from '../errors';

/** What `git ls-remote` against a repository found. */
export interface GitCheckResult {
  repositoryUrl: string;
  /** Branches the repository has (at most 20 are named). */
  branches: string[];
  usedToken: boolean;
  message: string;
}

/**
 * Tests a Git connection the way a clone uses it, for Git servers without the GitLab/GitHub API (a plain git
 * server): `git ls-remote --heads` with the token, given only to the repository's origin. Answers 422 with what
 * git said when it fails.
 */
export async function checkGitRepository(input: {
  repositoryUrl: string;
  token: string | null;
  /** The connection's origin: the token is never sent anywhere else. */
  origin: string | null;
}): Promise<GitCheckResult> {
  if (input.token && input.origin && originOf(input.repositoryUrl) !== input.origin) {
    throw apiError(
      400,
      `${input.repositoryUrl} is not on ${input.origin}; a connection's token is only sent to its own address.`,
    );
  }
  const remote = (() => {
    try {
      return parseRemote(input.repositoryUrl, input.token, {});
    } catch (error) {
      throw apiError(400, (error as Error).message);
    }
  })();
  const cwd = await mkdtemp(path.join(tmpdir(), 'kiln-git-check-'));
  const git = await openGitSession(remote, { timeoutMs: 20_000, idleTimeoutMs: 20_000 });
  try {
    const { stdoutLines } = await git.run(['ls-remote', '--heads', '--', remote.url], cwd);
    const branches = stdoutLines
      .map((line) => line.split('\t')[1]?.replace(/^refs\/heads\//, '') ?? '')
      .filter(Boolean);
    return {
      repositoryUrl: remote.url,
      branches: branches.slice(0, 20),
      usedToken: Boolean(input.token),
      message: `git reached ${remote.url}${input.token ? ' with the token' : ' without credentials'}: ${branches.length} branch${branches.length === 1 ? '' : 'es'}.`,
    };
  } catch (error) {
    throw apiError(422, (error as Error).message.replace(/^Git clone failed: /, 'git ls-remote failed: '));
  } finally {
    await git.dispose();
    await rm(cwd, { recursive: true, force: true });
  }
}
