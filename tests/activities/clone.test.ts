import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloneActivities } from '../../activities/clone';
import { gitRefProblem } from '../../domain/git-ref';
import { startGitServer, type GitServer } from '../support/git-server';
import { rejectionOf } from './failure';

const exec = promisify(execFile);
const wellFormedSha = 'b'.repeat(40);
const token = 'glpat-SECRET-token-9f8e7d6c';

let server: GitServer;
let root: string;
let firstSha: string;
let secondSha: string;
let repoUrl: string;
/** A git wrapper that records every argv it is called with, so tests can see what reached git. */
let gitSpy: string;
let argvLog: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kiln-clone-test-'));
  argvLog = path.join(root, 'argv.log');
  gitSpy = path.join(root, 'git-spy.sh');
  await writeFile(gitSpy, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec git "$@"\n`);
  await chmod(gitSpy, 0o755);
  server = await startGitServer({ username: 'oauth2', password: token });
  const repo = await server.createRepository('app', { Dockerfile: 'FROM scratch\n', 'version.txt': 'one\n' });
  repoUrl = repo.url;
  firstSha = repo.sha;
  secondSha = await server.commit('app', { 'version.txt': 'two\n' }, 'second');
});

afterAll(async () => {
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

const activities = () => createCloneActivities({ workspaceRoot: path.join(root, 'ws'), gitBinary: gitSpy });
const readArgv = () => readFile(argvLog, 'utf8').catch(() => '');
const git = (cwd: string, ...args: string[]) => exec('git', args, { cwd }).then((r) => r.stdout.trim());

describe('cloneRepository', () => {
  it('fetches exactly the pushed sha, shallow, with the token kept out of argv and URLs', async () => {
    const { cloneRepository } = activities();
    const result = await cloneRepository({
      buildId: 'b1',
      repositoryUrl: repoUrl,
      sha: firstSha,
      ref: 'refs/heads/main',
      token,
    });
    expect(result.dir).toBe(path.join(root, 'ws', 'b1'));
    expect(await git(result.dir, 'rev-parse', 'HEAD')).toBe(firstSha);
    expect(await readFile(path.join(result.dir, 'version.txt'), 'utf8')).toBe('one\n');
    expect(await git(result.dir, 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(await readArgv()).not.toContain(token);
    expect(server.requests.some((r) => r.url.includes(token))).toBe(false);
    expect(await git(result.dir, 'config', '--list', '--local')).not.toContain(token);
  });

  it('takes credentials out of a URL that carries them', async () => {
    const { cloneRepository } = activities();
    const url = repoUrl.replace('http://', `http://oauth2:${token}@`);
    const result = await cloneRepository({ buildId: 'b2', repositoryUrl: url, sha: secondSha, ref: 'main' });
    expect(await readFile(path.join(result.dir, 'version.txt'), 'utf8')).toBe('two\n');
    expect(await readArgv()).not.toContain(token);
  });

  it('reports a wrong token as "Git clone failed" without the token and leaves no workspace', async () => {
    const { cloneRepository } = activities();
    const wrong = 'glpat-WRONG-token-1234';
    const error = await rejectionOf(
      cloneRepository({
        buildId: 'b3',
        repositoryUrl: repoUrl,
        sha: firstSha,
        ref: 'refs/heads/main',
        token: wrong,
        provider: 'gitlab',
      }),
    );
    expect(error.type).toBe('GitCloneFailed');
    expect(error.message).toMatch(/^Git clone failed: .*Authentication failed/);
    expect(error.message).toContain("Check that the organization's GitLab token has read_repository access (or api).");
    expect(error.message).not.toContain(wrong);
    await expect(stat(path.join(root, 'ws', 'b3'))).rejects.toThrow();
  });

  it.each([
    [
      'github',
      "Check that the organization's GitHub token may read this repository: Contents: read (fine-grained) or the repo scope (classic).",
    ],
    ['plain', "Check the token or password of the organization's Git connection for this server."],
    [undefined, "Check that the organization's Git token can read the repository."],
  ] as const)(
    'advises what a %s token needs when the server refuses it, never GitLab scopes',
    async (provider, advice) => {
      const { cloneRepository, resolveCommit } = activities();
      const wrong = 'ghp_WRONGtoken5678';
      const base = { repositoryUrl: repoUrl, ref: 'refs/heads/main', token: wrong, provider };
      const clone = await rejectionOf(cloneRepository({ ...base, buildId: `adv-${provider}`, sha: firstSha }));
      const resolve = await rejectionOf(resolveCommit(base));
      for (const error of [clone, resolve]) {
        expect(error.type).toBe('GitCloneFailed');
        expect(error.message).toMatch(/^Git clone failed: .*Authentication failed/);
        expect(error.message.endsWith(advice)).toBe(true);
        expect(error.message).not.toContain('read_repository');
        expect(error.message).not.toContain(wrong);
      }
    },
  );

  it('records the commit subject and author, and keeps them out of the log', async () => {
    const subject = 'Render the price list\tin euros';
    const repo = await server.createRepository('messages', { 'version.txt': 'one\n' });
    const sha = await server.commit('messages', { 'version.txt': 'two\n' }, `${subject}\n\nLonger body text.`);
    const lines: string[] = [];
    const log = { write: (_stream: string, line: string) => void lines.push(line), flush: async () => {} };
    const clone = createCloneActivities({
      workspaceRoot: path.join(root, 'ws'),
      gitBinary: gitSpy,
      openLog: () => log,
    });
    const result = await clone.cloneRepository({ buildId: 'msg', repositoryUrl: repo.url, sha, ref: 'main', token });
    expect(result.commit).toEqual({ message: 'Render the price list in euros', author: 'Kiln Test' });
    expect(lines.join('\n')).not.toContain('price list');
  });

  it('reports a sha the server does not have as "Git clone failed"', async () => {
    const { cloneRepository } = activities();
    const input = { buildId: 'b4', repositoryUrl: repoUrl, sha: 'a'.repeat(40), ref: 'main', token };
    await expect(cloneRepository(input)).rejects.toThrow(/^Git clone failed: /);
  });

  it('builds a named commit only when it is on the named branch, not one only a merge request ref holds', async () => {
    const forkSha = await server.commitOnRef('app', 'refs/merge-requests/1/head', { 'version.txt': 'fork\n' });
    const { cloneRepository } = activities();
    const base = { repositoryUrl: repoUrl, ref: 'refs/heads/main', token, requireOnRef: true };

    const fork = await rejectionOf(cloneRepository({ ...base, buildId: 'on-1', sha: forkSha }));
    expect(fork.type).toBe('InvalidGitRef');
    expect(fork.message).toMatch(new RegExp(`^Commit ${forkSha.slice(0, 12)} is not on refs/heads/main`));
    await expect(stat(path.join(root, 'ws', 'on-1'))).rejects.toThrow();

    // An older commit of the branch and its head both are on it.
    const older = await cloneRepository({ ...base, buildId: 'on-2', sha: firstSha });
    expect(await readFile(path.join(older.dir, 'version.txt'), 'utf8')).toBe('one\n');
    const head = await cloneRepository({ ...base, buildId: 'on-3', sha: secondSha, ref: 'main' });
    expect(await git(head.dir, 'rev-parse', 'HEAD')).toBe(secondSha);

    // Without the requirement (a sha from a signed delivery), the merge request's commit is fetched as before.
    const delivered = await cloneRepository({ ...base, buildId: 'on-4', sha: forkSha, requireOnRef: false });
    expect(await readFile(path.join(delivered.dir, 'version.txt'), 'utf8')).toBe('fork\n');
  });

  it.each([
    ['--upload-pack=touch /tmp/pwned', 'refs/heads/main'],
    [wellFormedSha, '--upload-pack=evil'],
    [wellFormedSha, 'refs/heads/a..b'],
    [wellFormedSha, 'refs/heads/x.lock'],
    [wellFormedSha, 'main@{1}'],
    [wellFormedSha, 'bad\u0001ref'],
    ['HEAD', 'main'],
  ])('refuses sha %j / ref %j before git runs', async (sha, ref) => {
    await rm(argvLog, { force: true });
    const { cloneRepository } = activities();
    const error = await rejectionOf(cloneRepository({ buildId: 'b5', repositoryUrl: repoUrl, sha, ref, token }));
    expect(error.type).toBe('InvalidGitRef');
    expect(await readArgv()).toBe('');
  });

  it('refuses non-http URLs and unsafe build ids', async () => {
    const { cloneRepository } = activities();
    const base = { buildId: 'b6', sha: firstSha, ref: 'main' };
    await expect(cloneRepository({ ...base, repositoryUrl: 'file:///etc' })).rejects.toThrow(/not allowed/);
    await expect(cloneRepository({ ...base, repositoryUrl: '-oProxyCommand=x' })).rejects.toThrow(/Git clone failed/);
    await expect(cloneRepository({ ...base, buildId: '../escape', repositoryUrl: repoUrl })).rejects.toThrow(
      /Invalid build id/,
    );
  });

  it('leaves submodules alone unless the service enables them', async () => {
    const lib = await server.createRepository('lib', { 'lib.txt': 'shared\n' });
    const withSub = await server.createRepository('with-sub', { 'main.txt': 'main\n' });
    const sha = await server.addSubmodule('with-sub', 'vendor/lib', lib.url, lib.sha);
    const { cloneRepository } = activities();
    const input = { repositoryUrl: withSub.url, sha, ref: 'main', token };
    const plain = await cloneRepository({ ...input, buildId: 'b8' });
    await expect(stat(path.join(plain.dir, 'vendor/lib/lib.txt'))).rejects.toThrow();
    const recursive = await cloneRepository({ ...input, buildId: 'b9', submodules: true });
    expect(await readFile(path.join(recursive.dir, 'vendor/lib/lib.txt'), 'utf8')).toBe('shared\n');
    expect(await readArgv()).not.toContain(token);
  });

  it('removeWorkspace deletes the checkout', async () => {
    const { cloneRepository, removeWorkspace } = activities();
    const result = await cloneRepository({ buildId: 'b7', repositoryUrl: repoUrl, sha: firstSha, ref: 'main', token });
    await removeWorkspace('b7');
    await expect(stat(result.dir)).rejects.toThrow();
    await removeWorkspace('b7');
  });
});

describe('resolveCommit', () => {
  it('resolves a branch or tag to the commit it points to, via ls-remote', async () => {
    await server.tag('app', 'v1.0.0', firstSha);
    await server.tag('app', 'v2.0.0', secondSha, 'release 2');
    const { resolveCommit } = activities();
    expect(await resolveCommit({ repositoryUrl: repoUrl, ref: 'main', token })).toBe(secondSha);
    expect(await resolveCommit({ repositoryUrl: repoUrl, ref: 'refs/heads/main', token })).toBe(secondSha);
    expect(await resolveCommit({ repositoryUrl: repoUrl, ref: 'v1.0.0', token })).toBe(firstSha);
    expect(await resolveCommit({ repositoryUrl: repoUrl, ref: 'refs/tags/v2.0.0', token })).toBe(secondSha);
  });

  it('says which ref is missing, and reports a wrong token as "Git clone failed" without it', async () => {
    const { resolveCommit } = activities();
    await expect(resolveCommit({ repositoryUrl: repoUrl, ref: 'nope', token })).rejects.toThrow(
      'Git clone failed: the repository has no branch or tag "nope". Check the branch in Auto CI settings.',
    );
    const error = await rejectionOf(resolveCommit({ repositoryUrl: repoUrl, ref: 'main', token: 'glpat-BAD-999' }));
    expect(error.message).toMatch(/^Git clone failed: .*Authentication failed/);
    expect(error.message).not.toContain('glpat-BAD-999');
    await rm(argvLog, { force: true });
    await expect(resolveCommit({ repositoryUrl: repoUrl, ref: '--upload-pack=x', token })).rejects.toThrow(
      /Invalid git ref/,
    );
    expect(await readArgv()).toBe('');
  });
});

describe('gitRefProblem (git check-ref-format rules)', () => {
  it.each(['main', 'refs/heads/feature/x', 'refs/tags/v1.0.0', 'release-2024.1', 'user@host'])('accepts %j', (ref) => {
    expect(gitRefProblem(ref)).toBeNull();
  });
  it.each([
    '',
    '-x',
    '@',
    'a b',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
    'a[',
    'a\\b',
    'a..b',
    'a@{1}',
    '/a',
    'a/',
    'a//b',
    'a.',
    '.a',
    'a/.b',
    'a.lock',
    'a/b.lock/c',
    'x\u007f',
  ])('refuses %j', (ref) => {
    expect(gitRefProblem(ref)).not.toBeNull();
  });
});
