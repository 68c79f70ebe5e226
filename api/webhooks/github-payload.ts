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

/**
 * Reads a GitHub delivery: `push` builds branches and tags, `ping` is acknowledged, anything else is not
 * processed. Throws a ZodError when a push body lacks the fields Kiln needs.
 */
export function parseGithubDelivery(eventHeader: string, body: unknown): ParsedDelivery {
  const repo = repository.safeParse((body as { repository?: unknown } | null)?.repository);
  const project =
    repo.success && (repo.data.id !== undefined || repo.data.full_name)
      ? { id: repo.data.id === undefined ? undefined : String(repo.data.id), path: repo.data.full_name }
      : null;
  if (eventHeader === 'ping') return { project, intent: { kind: 'ping' } };
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
