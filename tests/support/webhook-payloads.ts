// Our own GitLab/GitHub webhook payload builders and signers (shapes follow the providers' documented payloads).
import { createHmac, randomUUID } from 'node:crypto';

const sha = (seed: string) => createHmac('sha1', 'kiln').update(seed).digest('hex');
export const ZERO = '0'.repeat(40);

export interface PushOptions {
  ref?: string;
  after?: string;
  before?: string;
  message?: string;
  author?: string;
}

/** A GitHub `push` payload for `owner/repo`. */
export function githubPush(repo: string, options: PushOptions & { deleted?: boolean; repoId?: number } = {}) {
  const after = options.after ?? sha(`${repo}-${options.ref}-${options.message}`);
  const deleted = options.deleted ?? after === ZERO;
  const head = deleted
    ? null
    : {
        id: after,
        message: options.message ?? 'Update README',
        timestamp: '2026-01-02T03:04:05Z',
        author: { name: options.author ?? 'Ada Lovelace', email: 'ada@example.com', username: 'ada' },
      };
  return {
    ref: options.ref ?? 'refs/heads/main',
    before: options.before ?? sha('before'),
    after,
    created: false,
    deleted,
    forced: false,
    commits: head ? [head] : [],
    head_commit: head,
    repository: { id: options.repoId ?? 4242, name: repo.split('/')[1], full_name: repo, private: true },
    pusher: { name: 'ada', email: 'ada@example.com' },
    sender: { login: 'ada', id: 1 },
  };
}

/** A GitHub `ping` payload. */
export function githubPing(repo: string) {
  return {
    zen: 'Keep it logically awesome.',
    hook_id: 1,
    hook: { type: 'Repository', events: ['push'] },
    repository: { id: 4242, full_name: repo },
  };
}

export interface PullRequestOptions {
  action?: string;
  number?: number;
  /** Head branch (the pull request's source). */
  headRef?: string;
  /** Base branch (what the branch filter sees). */
  baseRef?: string;
  /** Head sha; derived from the other options by default. */
  sha?: string;
  draft?: boolean;
  merged?: boolean;
  repoId?: number;
  /** The head repository when it is a fork; `null` for a fork that was deleted. Default: the base repository. */
  fork?: { id: number; fullName: string } | null;
}

/** A GitHub `pull_request` payload for `owner/repo`, shaped like the documented (and octokit's) examples. */
export function githubPullRequest(repo: string, options: PullRequestOptions = {}) {
  const number = options.number ?? 7;
  const action = options.action ?? 'opened';
  const repository = { id: options.repoId ?? 4242, name: repo.split('/')[1], full_name: repo, private: true };
  const headRepo =
    options.fork === null
      ? null
      : options.fork
        ? { id: options.fork.id, name: options.fork.fullName.split('/')[1], full_name: options.fork.fullName }
        : repository;
  const headRef = options.headRef ?? 'feature/login';
  const headSha = options.sha ?? sha(`pr-${repo}-${number}-${action}-${headRef}-${options.fork?.fullName}`);
  const merged = options.merged ?? false;
  return {
    action,
    number,
    pull_request: {
      url: `https://api.github.com/repos/${repo}/pulls/${number}`,
      number,
      state: action === 'closed' ? 'closed' : 'open',
      title: 'Add login',
      user: { login: 'octocat', id: 1 },
      draft: options.draft ?? false,
      merged,
      merge_commit_sha: merged ? sha(`merge-${number}`) : null,
      head: {
        label: `${headRepo?.full_name.split('/')[0] ?? 'ghost'}:${headRef}`,
        ref: headRef,
        sha: headSha,
        repo: headRepo,
      },
      base: {
        label: `${repo.split('/')[0]}:${options.baseRef ?? 'main'}`,
        ref: options.baseRef ?? 'main',
        sha: sha(`base-${repo}`),
        repo: repository,
      },
    },
    repository,
    sender: { login: 'octocat', id: 1 },
  };
}

/** `X-Hub-Signature-256` value for a body. */
export function signGithub(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Headers GitHub sends with a delivery. */
export function githubHeaders(event: string, body: string, secret: string | null, delivery: string = randomUUID()) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/044aadd',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-github-hook-id': '292430182',
  };
  if (secret !== null) headers['x-hub-signature-256'] = signGithub(secret, body);
  return headers;
}

interface GitlabProject {
  id: number;
  path: string;
}

/** A GitLab Push Hook (or Tag Push Hook for `refs/tags/…`) payload. */
export function gitlabPush(project: GitlabProject, options: PushOptions = {}) {
  const ref = options.ref ?? 'refs/heads/main';
  const isTag = ref.startsWith('refs/tags/');
  const after = options.after ?? sha(`${project.path}-${ref}-${options.message}`);
  const deleted = after === ZERO;
  const commits = deleted
    ? []
    : [
        { id: sha('older'), message: 'older commit', author: { name: 'Someone Else', email: 'x@example.com' } },
        {
          id: after,
          message: options.message ?? 'fix: readme',
          author: { name: options.author ?? 'Grace Hopper', email: 'g@example.com' },
        },
      ];
  return {
    object_kind: isTag ? 'tag_push' : 'push',
    event_name: isTag ? 'tag_push' : 'push',
    before: options.before ?? sha('before'),
    after,
    ref,
    checkout_sha: deleted ? null : after,
    user_name: 'Grace Hopper',
    project_id: project.id,
    project: { id: project.id, name: project.path.split('/')[1], path_with_namespace: project.path },
    commits,
    total_commits_count: commits.length,
  };
}

/**
 * A GitLab Merge Request Hook payload. `oldrev` is present when an update pushed new commits. `fork` names the
 * source project of a merge request opened from a fork (another id and path); by default the source is the target.
 */
export function gitlabMergeRequest(
  project: GitlabProject,
  options: {
    action: string;
    oldrev?: string;
    source?: string;
    target?: string;
    sha?: string;
    message?: string;
    iid?: number;
    fork?: GitlabProject;
  },
) {
  const last = options.sha ?? sha(`mr-${options.action}-${options.oldrev}-${options.iid}-${options.fork?.path}`);
  const source = options.fork ?? project;
  return {
    object_kind: 'merge_request',
    event_type: 'merge_request',
    user: { name: 'Grace Hopper', username: 'grace' },
    project: { id: project.id, path_with_namespace: project.path },
    object_attributes: {
      iid: options.iid ?? 12,
      action: options.action,
      state: 'opened',
      source_branch: options.source ?? 'feature/login',
      target_branch: options.target ?? 'main',
      source_project_id: source.id,
      target_project_id: project.id,
      source: { id: source.id, path_with_namespace: source.path },
      target: { id: project.id, path_with_namespace: project.path },
      ...(options.oldrev ? { oldrev: options.oldrev } : {}),
      last_commit: {
        id: last,
        message: options.message ?? 'feat: login',
        author: { name: 'Grace Hopper', email: 'g@example.com' },
      },
    },
  };
}

/** Headers GitLab sends; `token` null omits X-Gitlab-Token. */
export function gitlabHeaders(event: string, token: string | null, idempotencyKey: string = randomUUID()) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitLab/17.6.0',
    'x-gitlab-event': event,
    'x-gitlab-event-uuid': randomUUID(),
    'x-gitlab-instance': 'https://gitlab.example.com',
    'idempotency-key': idempotencyKey,
  };
  if (token !== null) headers['x-gitlab-token'] = token;
  return headers;
}

/** Standard Webhooks headers (GitLab signed deliveries) for `body`, signed with a `whsec_` token. */
export function standardWebhookHeaders(
  signingToken: string,
  id: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
) {
  const key = Buffer.from(signingToken.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${mac}` };
}
