import { EventEmitter } from 'node:events';
import { and, asc, desc, eq, gt, ilike, max } from 'drizzle-orm';
import { toStorableText } from '../domain/storable-text';
import type { Database } from './client';
import { buildLogLines } from './schema';
import type { logStreams } from '../domain/log-stream';

/** One line to store; `seq` orders lines within a build and makes writes idempotent. */
export interface BuildLogLineInput {
  seq: number;
  stream: (typeof logStreams)[number];
  text: string;
  at: Date;
}

export type BuildLogLine = typeof buildLogLines.$inferSelect;

// Wakes live log streams in this process immediately; streams in other processes notice on their next poll.
const appended = new EventEmitter();
appended.setMaxListeners(0);

/** Calls `listener` whenever lines are appended to `buildId` in this process; returns the unsubscribe function. */
export function onBuildLogAppended(buildId: string, listener: () => void): () => void {
  appended.on(buildId, listener);
  return () => appended.off(buildId, listener);
}

/** Stores lines; a line whose (build, seq) already exists is left as it is, so retried writes never duplicate. */
export async function appendBuildLogLines(db: Database, buildId: string, lines: BuildLogLineInput[]): Promise<void> {
  if (lines.length === 0) return;
  // Large batches are split to stay well under PostgreSQL's bind-parameter limit.
  for (let i = 0; i < lines.length; i += 1000) {
    // Build output is whatever tools print: NUL and broken Unicode are escaped so the line is kept, not refused.
    const rows = lines.slice(i, i + 1000).map((line) => ({ buildId, ...line, text: toStorableText(line.text) }));
    await db.insert(buildLogLines).values(rows).onConflictDoNothing();
  }
  appended.emit(buildId);
}

/** Lines after `afterSeq` in order, optionally only those containing `search` (case-insensitive). */
export async function readBuildLogLines(
  db: Database,
  buildId: string,
  options: { afterSeq?: number; limit?: number; search?: string } = {},
): Promise<BuildLogLine[]> {
  const filters = [eq(buildLogLines.buildId, buildId)];
  if (options.afterSeq !== undefined) filters.push(gt(buildLogLines.seq, options.afterSeq));
  if (options.search) filters.push(ilike(buildLogLines.text, `%${escapeLike(options.search)}%`));
  return db
    .select()
    .from(buildLogLines)
    .where(and(...filters))
    .orderBy(asc(buildLogLines.seq))
    .limit(options.limit ?? 500);
}

/** The highest stored seq of a build, or -1 when it has no lines. */
export async function lastBuildLogSeq(db: Database, buildId: string): Promise<number> {
  const [row] = await db
    .select({ seq: max(buildLogLines.seq) })
    .from(buildLogLines)
    .where(eq(buildLogLines.buildId, buildId));
  return row?.seq ?? -1;
}

/** The newest `limit` lines (for a log tail), oldest first. */
export async function tailBuildLogLines(db: Database, buildId: string, limit: number): Promise<BuildLogLine[]> {
  const rows = await db
    .select()
    .from(buildLogLines)
    .where(eq(buildLogLines.buildId, buildId))
    .orderBy(desc(buildLogLines.seq))
    .limit(limit);
  return rows.reverse();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
