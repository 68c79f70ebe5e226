// Task tokens: opaque to workers, JSON inside so a stale token (old attempt, old dispatch) is recognised.

/** What a task token names: a workflow task, an activity attempt or a query task of one run. */
export interface TaskToken {
  kind: 'workflow' | 'activity' | 'query';
  runId: string;
  /** Scheduled event id (workflow/activity task) or 0. */
  id: number;
  attempt: number;
  nonce: number;
  queryId?: string;
}

/** Encodes a token for a poll response. */
export function encodeToken(token: TaskToken): Buffer {
  return Buffer.from(JSON.stringify(token));
}

/** Decodes a token from a worker; undefined when it is not one of ours. */
export function decodeToken(raw: Uint8Array | null | undefined): TaskToken | undefined {
  if (!raw || raw.length === 0) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(raw).toString()) as TaskToken;
    return typeof parsed.runId === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
