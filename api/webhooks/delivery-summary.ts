/** The branch/tag and commit a stored delivery was about, as Recent Deliveries lists them. */
export interface DeliverySummary {
  ref: string | null;
  sha: string | null;
}

const text = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null;

/**
 * Reads ref and commit from a delivery's stored (authenticated) payload: pushes and tags (`ref`, `after` or
 * `checkout_sha`), GitLab merge requests and GitHub pull requests (source branch, head commit). Anything else,
 * or a body that is not JSON, gives nulls; values are only shown, never acted on.
 */
export function summarizeDelivery(payload: string | null): DeliverySummary {
  if (!payload) return { ref: null, sha: null };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return { ref: null, sha: null };
  }
  if (typeof body !== 'object' || body === null) return { ref: null, sha: null };
  const pr = body.pull_request as { head?: { ref?: unknown; sha?: unknown } } | undefined;
  if (pr?.head) return { ref: text(pr.head.ref, 255), sha: text(pr.head.sha, 64) };
  const mr = body.object_attributes as { source_branch?: unknown; last_commit?: { id?: unknown } } | undefined;
  if (body.object_kind === 'merge_request' && mr) {
    return { ref: text(mr.source_branch, 255), sha: text(mr.last_commit?.id, 64) };
  }
  const ref = text(body.ref, 255)?.replace(/^refs\/(heads|tags)\//, '') ?? null;
  return { ref, sha: text(body.checkout_sha, 64) ?? text(body.after, 64) };
}
