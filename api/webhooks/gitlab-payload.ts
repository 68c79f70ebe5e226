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

const project = z.object({
  id: z.union([z.number(), z.string()]).optional(),
  path_with_namespace: z.string().optional(),
});
const commit = z.object({
  id: z.string(),
  message: z.string().optional(),
  author: z.object({ name: z.string().optional() }).partial().optional(),
  added: z.array(z.string()).optional(),
  modified: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
});
const pushSchema = z.object({
  object_kind: z.enum(['push', 'tag_push']).optional(),
  ref: z.string().min(1),
  before: z.string().optional(),
  after: z.string().min(1),
  checkout_sha: z.string().nullable().optional(),
  user_name: z.string().optional(),
  project_id: z.union([z.number(), z.string()]).optional(),
  project: project.optional(),
  commits: z.array(commit).default([]),
  total_commits_count: z.number().optional(),
});
const mergeRequestSchema = z.object({
  object_kind: z.literal('merge_request').optional(),
  project: project.optional(),
  user: z.object({ name: z.string().optional() }).optional(),
  object_attributes: z.object({
    iid: z.number().int().positive().max(2_147_483_647),
    action: z.string().optional(),
    source_branch: z.string().min(1),
    target_branch: z.string().min(1),
    source_project_id: z.union([z.number(), z.string()]).nullable().optional(),
    target_project_id: z.union([z.number(), z.string()]).nullable().optional(),
    source: project.nullable().optional(),
    target: project.nullable().optional(),
    oldrev: z.string().optional(),
    last_commit: commit,
  }),
});

// Closing or merging needs only the iid: its running builds are cancelled, whatever else the payload holds.
const closedMergeRequest = z.object({
  object_attributes: z.object({
    iid: z.number().int().positive().max(2_147_483_647),
    action: z.enum(['close', 'merge']),
  }),
});

const hookKinds: Record<string, 'push' | 'tag_push' | 'merge_request'> = {
  'Push Hook': 'push',
  'Tag Push Hook': 'tag_push',
  'Merge Request Hook': 'merge_request',
};

/**
 * Reads a GitLab delivery. `System Hook` deliveries carry the kind in `object_kind`. Throws a ZodError when a
 * handled event's body lacks the fields Kiln needs (answered with 400).
 */
export function parseGitlabDelivery(eventHeader: string, body: unknown): ParsedDelivery {
  const objectKind = (body as { object_kind?: unknown } | null)?.object_kind;
  const kind = eventHeader === 'System Hook' && typeof objectKind === 'string' ? objectKind : hookKinds[eventHeader];
  const projectRef = readProject(body);
  if (kind === 'push' || kind === 'tag_push')
    return { project: projectRef, intent: pushIntent(pushSchema.parse(body)) };
  if (kind === 'merge_request') {
    const closed = closedMergeRequest.safeParse(body);
    if (closed.success) return { project: projectRef, intent: closeIntent(closed.data.object_attributes) };
    return { project: projectRef, intent: mergeRequestIntent(mergeRequestSchema.parse(body)) };
  }
  return { project: projectRef, intent: { kind: 'not_processed' } };
}

function readProject(body: unknown): ParsedDelivery['project'] {
  const parsed = z
    .object({ project_id: z.union([z.number(), z.string()]).optional(), project: project.optional() })
    .safeParse(body);
  if (!parsed.success) return null;
  const id = parsed.data.project?.id ?? parsed.data.project_id;
  const path = parsed.data.project?.path_with_namespace;
  if (id === undefined && !path) return null;
  return { id: id === undefined ? undefined : String(id), path };
}

function pushIntent(push: z.infer<typeof pushSchema>): DeliveryIntent {
  const { branch, tag } = splitRef(push.ref);
  const sha = push.checkout_sha || push.after;
  const skip = invalidRefSkip([push.ref]) ?? pushRefSkip(push.ref, ZERO_SHA.test(push.after)) ?? invalidShaSkip(sha);
  if (skip) return skip;
  // GitLab lists commits oldest first; the pushed head is the one whose id is the new sha.
  const head = push.commits.find((c) => c.id === sha) ?? push.commits.at(-1);
  return {
    kind: 'build',
    candidate: {
      event: tag !== undefined ? 'tag' : 'push',
      ref: push.ref,
      branch,
      tag,
      sha,
      commitMessage: head?.message,
      commitAuthor: head?.author?.name ?? push.user_name,
      filterBranch: branch,
      changedPaths: changedPathsOf(push.commits, gitlabPushIsComplete(push)),
    },
  };
}

// Builds on open/reopen and on updates that add commits (GitLab sends `oldrev` only then).
function mergeRequestIntent(mr: z.infer<typeof mergeRequestSchema>): DeliveryIntent {
  const attrs = mr.object_attributes;
  const action = attrs.action ?? 'unknown';
  const builds = action === 'open' || action === 'reopen' || (action === 'update' && Boolean(attrs.oldrev));
  if (!builds) {
    const detail = action === 'update' ? 'update without new commits' : action;
    return { kind: 'skip', reason: 'merge_request_action', message: `Merge request ${detail}: no build.` };
  }
  const ref = `refs/merge-requests/${attrs.iid}/head`;
  const skip =
    invalidRefSkip([ref, `refs/heads/${attrs.source_branch}`, `refs/heads/${attrs.target_branch}`]) ??
    invalidShaSkip(attrs.last_commit.id);
  if (skip) return skip;
  return {
    kind: 'build',
    candidate: {
      event: 'merge_request',
      ref,
      // Shown as "merge request from <branch>"; never used as an image tag or to supersede branch builds.
      branch: attrs.source_branch,
      sha: attrs.last_commit.id,
      commitMessage: attrs.last_commit.message,
      commitAuthor: attrs.last_commit.author?.name ?? mr.user?.name,
      filterBranch: attrs.target_branch,
      change: { kind: 'merge_request', number: attrs.iid, fromFork: isFromFork(mr) },
    },
  };
}

function closeIntent(attrs: z.infer<typeof closedMergeRequest>['object_attributes']): DeliveryIntent {
  const what = attrs.action === 'merge' ? 'was merged' : 'was closed';
  return {
    kind: 'close',
    change: { kind: 'merge_request', number: attrs.iid },
    message: `Merge request !${attrs.iid} ${what}`,
  };
}

/**
 * True unless the payload shows that the merge request's source project is its target project (same id and, when
 * both paths are given, the same path). A payload that leaves the source out counts as a fork: fail closed.
 */
function isFromFork(mr: z.infer<typeof mergeRequestSchema>): boolean {
  const attrs = mr.object_attributes;
  const sourceId = attrs.source_project_id ?? attrs.source?.id;
  const targetId = attrs.target_project_id ?? attrs.target?.id ?? mr.project?.id;
  if (sourceId == null || targetId == null || String(sourceId) !== String(targetId)) return true;
  const sourcePath = attrs.source?.path_with_namespace;
  const targetPath = attrs.target?.path_with_namespace;
  return Boolean(sourcePath && targetPath && sourcePath.toLowerCase() !== targetPath.toLowerCase());
}

// GitLab lists at most 20 commits; a new branch (before = zeros) has no base to compare with.
function gitlabPushIsComplete(push: z.infer<typeof pushSchema>): boolean {
  const total = push.total_commits_count ?? push.commits.length;
  return total === push.commits.length && !ZERO_SHA.test(push.before ?? '');
}
