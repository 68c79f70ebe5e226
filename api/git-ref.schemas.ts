import { z } from '@hono/zod-openapi';
import { gitRefProblem, isFullSha } from '../domain/git-ref';

/**
 * A branch or tag name as git allows it (domain/git-ref.ts, the rule webhooks and the clone use too): checked as
 * `refs/heads/<name>`, so a 400 names what is wrong instead of the build failing later at clone.
 */
export const gitRefName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .superRefine((name, ctx) => {
    const problem = gitRefProblem(`refs/heads/${name}`);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a valid branch or tag name: ${problem}` });
  });

/** A full commit sha: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits. */
export const commitSha = z.string().refine(isFullSha, 'a full 40- or 64-character lowercase hex commit sha');
