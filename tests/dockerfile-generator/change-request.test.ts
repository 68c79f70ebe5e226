import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMergeRequest, openPullRequest, wizardBranch } from '../../activities/build-wizard';
import type { ProviderConnection } from '../../clients/git-providers/connection';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github';
import { type FakeGitLab, startFakeGitLab } from '../support/fake-gitlab';

let gitlab: FakeGitLab;
let github: FakeGitHub;
const files = [
  { path: 'Dockerfile', content: 'FROM nginx:1\nCOPY . /usr/share/nginx/html\n' },
  { path: '.dockerignore', content: '.git\n' },
];

beforeAll(async () => {
  [gitlab, github] = await Promise.all([startFakeGitLab(), startFakeGitHub()]);
  gitlab.addToken('glpat-api', ['api']);
  gitlab.addToken('glpat-read', ['read_api']);
  gitlab.addProject(7, 'group/app');
  github.addToken('ghp_repo', { login: 'kiln-bot', scopes: ['repo'] });
  github.addRepo('acme/shop');
});
afterAll(async () => Promise.all([gitlab.stop(), github.stop()]));

const gitlabConnection = (token = 'glpat-api'): ProviderConnection => ({
  kind: 'gitlab',
  baseUrl: gitlab.baseUrl,
  token,
  project: '7',
  projectPath: 'group/app',
  providerApi: true,
});
const githubConnection: () => ProviderConnection = () => ({
  kind: 'github',
  baseUrl: `${github.baseUrl}/api/v3`,
  token: 'ghp_repo',
  project: 'acme/shop',
  projectPath: 'acme/shop',
  providerApi: true,
});

describe('Build Wizard merge and pull requests', () => {
  it('GitLab: a branch, one commit adding both files, a merge request into the default branch; a second click finds it', async () => {
    const first = await openMergeRequest(gitlabConnection(), files);
    expect(first).toEqual({
      provider: 'gitlab',
      number: 1,
      url: `${gitlab.baseUrl}/group/app/-/merge_requests/1`,
      created: true,
    });
    const repo = gitlab.content.repo('7');
    expect(repo.files.get(wizardBranch)?.get('Dockerfile')).toBe(files[0]!.content);
    expect(repo.files.get(wizardBranch)?.get('.dockerignore')).toBe(files[1]!.content);
    expect(repo.files.get('main')?.has('Dockerfile')).toBe(false);
    expect(repo.changeRequests).toMatchObject([{ source: wizardBranch, target: 'main', state: 'opened' }]);
    const second = await openMergeRequest(gitlabConnection(), files);
    expect(second).toEqual({ ...first, created: false });
    expect(repo.changeRequests).toHaveLength(1);
    expect(repo.commits).toHaveLength(1);
  });

  it('GitLab: after the first one was closed, the left-over branch gets an update commit and a new merge request', async () => {
    const repo = gitlab.content.repo('7');
    repo.changeRequests[0]!.state = 'closed';
    const again = await openMergeRequest(gitlabConnection(), [{ path: 'Dockerfile', content: 'FROM nginx:1\n' }]);
    expect(again).toMatchObject({ number: 2, created: true });
    expect(repo.files.get(wizardBranch)?.get('Dockerfile')).toBe('FROM nginx:1\n');
  });

  it('GitLab: a read-only token fails with the provider message and changes nothing', async () => {
    gitlab.addProject(8, 'group/other');
    const connection = { ...gitlabConnection('glpat-read'), project: '8' };
    await expect(openMergeRequest(connection, files)).rejects.toThrow(/403/);
    expect(gitlab.content.repo('8').changeRequests).toHaveLength(0);
    expect(gitlab.content.repo('8').branches.has(wizardBranch)).toBe(false);
  });

  it('GitHub: ref, contents PUT per file, a pull request; a second click finds the open one', async () => {
    const first = await openPullRequest(githubConnection(), files);
    expect(first).toEqual({
      provider: 'github',
      number: 1,
      url: 'https://github.example/acme/shop/pull/1',
      created: true,
    });
    const repo = github.content.repo('acme/shop');
    expect(repo.files.get(wizardBranch)?.get('Dockerfile')).toBe(files[0]!.content);
    expect(repo.files.get(wizardBranch)?.get('.dockerignore')).toBe(files[1]!.content);
    expect(repo.changeRequests).toMatchObject([{ source: wizardBranch, target: 'main' }]);
    const second = await openPullRequest(githubConnection(), files);
    expect(second).toEqual({ ...first, created: false });
    expect(repo.changeRequests).toHaveLength(1);
    expect(repo.commits).toHaveLength(2);
  });

  it('GitHub: the existing branch and files are updated with their sha when the pull request was closed', async () => {
    const repo = github.content.repo('acme/shop');
    repo.changeRequests[0]!.state = 'closed';
    const again = await openPullRequest(githubConnection(), [{ path: 'Dockerfile', content: 'FROM nginx:1\n' }]);
    expect(again).toMatchObject({ number: 2, created: true });
    expect(repo.files.get(wizardBranch)?.get('Dockerfile')).toBe('FROM nginx:1\n');
  });

  it('the token goes only to the connection origin', async () => {
    const seen = github.requests.filter((r) => r.path.includes('/pulls'));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.authorization === 'token ghp_repo')).toBe(true);
  });
});
