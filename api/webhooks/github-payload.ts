import { z } from 'zod';
import {
  changedPathsOf,
  invalidRefSkip,
  invalidShaSkip,
  pushRefSkip,
  splitRef,
  ZERO_SHA,
  type DeliveryIntent,
  type ParsedDelivery,
} from './delivery-event';

const repository = z.object({ id: z.union([z.number(), z.string()]).optional(), full_name: z.string().optional() });
const pushSchema = z.object({
  ref: z.string().min(1),
  after: z.string().min(1),
  deleted: z.boolean().optional(),
  created: z.boolean().optional(),
  forced: z.boolean().optional(),
  commits: z
    .array(
      z.object({
        added: z.array(z.string()).optional(),
        modified: z.array(z.string()).optional(),
        removed: z.array(z.string()).optional(),
      }),
    )
    .default([]),
  repository,
  pusher: z.object({ name: z.string().optional() }).optional(),
  head_commit: z
    .object({
      id: z.string(),
      message: z.string().optional(),
      author: z.object({ name: z.string().optional(), username: z.string().optional() }).optional(),
    })
    .nullable()
    .optional(),
});

const pullRequestNumber = z.number().int().positive().max(2_147_483_647);
const pullRequestAction = z.object({ action: z.string(), number: pullRequestNumber.optional() });
const pullRequestSchema = z.object({
  action: z.string(),
  number: pullRequestNumber,
  pull_request: z.object({
    draft: z.boolean().optional(),
    merged: z.boolean().nullable().optional(),
    user: z.object({ login: z.string().optional() }).nullable().optional(),
    // A deleted fork leaves `head.repo` null.
    head: z.object({ ref: z.string().min(1), sha: z.string().min(1), repo: repository.nullable().optional() }),
    base: z.object({ ref: z.string().min(1), repo: repository.nullable().optional() }),
  }),
  repository,
});
// Closing needs only the number: its running builds are cancelled, whatever else the payload holds.
const closedPullRequest = z.object({
  number: pullRequestNumber,
  pull_request: z.object({ merged: z.boolean().nullable().optional() }).optional(),
});

/** Pull request actions that put new code up for review; every other action but `closed` builds nothing. */
const buildingActions = new Set(['opened', 'reopened', 'synchronize', 'ready_for_review']);

/**
 * Reads a GitHub delivery: `push` builds branches and tags, `pull_request` builds the pull request's head (and
 * `closed` cancels its builds), `ping` is acknowledged, anything else is not processed. Throws a ZodError when a
 * handled body lacks the fields Kiln needs.
 */
export function parseGithubDelivery(eventHeader: string, body: unknown): ParsedDelivery {
  const repo = repository.safeParse((body as { repository?: unknown } | null)?.repository);
  const project =
    repo.success && (repo.data.id !== undefined || repo.data.full_name)
      ? { id: repo.data.id === undefined ? undefined : String(repo.data.id), path: repo.data.full_name }
      : null;
  if (eventHeader === 'ping') return { project, intent: { kind: 'ping' } };
  if (eventHeader === 'pull_request') return { project, intent: pullRequestIntent(body) };
  if (eventHeader !== 'push') return { project, intent: { kind: 'not_processed' } };
  return { project, intent: pushIntent(pushSchema.parse(body)) };
}

function pushIntent(push: z.infer<typeof pushSchema>): DeliveryIntent {
  const { branch, tag } = splitRef(push.ref);
  const skip =
    invalidRefSkip([push.ref]) ??
    pushRefSkip(push.ref, push.deleted || ZERO_SHA.test(push.after)) ??
    invalidShaSkip(push.after);
  if (skip) return skip;
  const head = push.head_commit;
  return {
    kind: 'build',
    candidate: {
      event: tag !== undefined ? 'tag' : 'push',
      ref: push.ref,
      branch,
      tag,
      sha: push.after,
      commitMessage: head?.message,
      commitAuthor: head?.author?.name ?? head?.author?.username ?? push.pusher?.name,
      filterBranch: branch,
      // GitHub lists up to 2048 commits; a new branch or a force push has no reliable base to compare with.
      changedPaths: changedPathsOf(push.commits, !push.created && !push.forced && push.commits.length < 2048),
    },
  };
}

function pullRequestIntent(body: unknown): DeliveryIntent {
  const { action, number } = pullRequestAction.parse(body);
  const named = number === undefined ? 'Pull request' : `Pull request #${number}`;
  if (action !== 'closed' && !buildingActions.has(action)) {
    return { kind: 'skip', reason: 'pull_request_action', message: `${named} ${action}: no build.` };
  }
  if (action === 'closed') {
    const closed = closedPullRequest.parse(body);
    const what = closed.pull_request?.merged ? 'was merged' : 'was closed';
    return { kind: 'close', change: { kind: 'pull_request', number: closed.number }, message: `${named} ${what}` };
  }
  const pr = pullRequestSchema.parse(body);
  const { head, base } = pr.pull_request;
  const ref = `refs/pull/${pr.number}/head`;
  const skip = invalidRefSkip([ref, `refs/heads/${head.ref}`, `refs/heads/${base.ref}`]) ?? invalidShaSkip(head.sha);
  if (skip) return skip;
  return {
    kind: 'build',
    candidate: {
      event: 'pull_request',
      ref,
      // Shown as "pull request #n from <branch>"; never used as an image tag or to supersede branch builds.
      branch: head.ref,
      sha: head.sha,
      commitAuthor: pr.pull_request.user?.login,
      filterBranch: base.ref,
      change: {
        kind: 'pull_request',
        number: pr.number,
        fromFork: isFromFork(head.repo, base.repo ?? pr.repository),
        draft: pr.pull_request.draft === true,
      },
    },
  };
}

/**
 * True unless the head repository is the base repository (same id). A deleted fork (`head.repo` null) or a payload
 * without ids counts as a fork: fail closed.
 */
function isFromFork(head: z.infer<typeof repository> | null | undefined, base: z.infer<typeof repository>): boolean {
  if (head?.id == null || base.id == null) return true;
  return String(head.id) !== String(base.id);
}
