import { eq } from 'drizzle-orm';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { Database } from '../../db/client';
import { onBuildLogAppended, readBuildLogLines, type BuildLogLine } from '../../db/build-logs';
import { builds, type BuildRow } from '../../db/schema';
import { isFinishedBuildStatus } from '../../domain/build-status';
import type { AppDeps, AuthUser } from '../deps';
import type { AppRouteHandler } from '../openapi';
import { loadVisible } from '../scope';
import type * as routes from './logs.routes';

/** How often the live log looks for new lines (a local append wakes it sooner), and when it sends a keep-alive. */
export interface LogStreamTiming {
  pollMs?: number;
  keepAliveMs?: number;
}

const PAGE = 500;
const lineView = (line: BuildLogLine) => ({
  seq: line.seq,
  stream: line.stream,
  text: line.text,
  at: line.at.toISOString(),
});

/** Handlers of a build's log: paged lines and the live SSE stream. */
export function createBuildLogHandlers({ db }: AppDeps, timing: LogStreamTiming = {}) {
  const loadBuild = (user: AuthUser, id: string) => loadVisible(db, builds, user, id, 'Build');

  const getBuildLogs: AppRouteHandler<typeof routes.getBuildLogs> = async (c) => {
    const build = await loadBuild(c.get('user'), c.req.valid('param').id);
    const { afterSeq, limit, search } = c.req.valid('query');
    const lines = await readBuildLogLines(db, build.id, { afterSeq, limit: limit + 1, search });
    const page = lines.slice(0, limit);
    const nextAfterSeq = page.at(-1)?.seq ?? afterSeq;
    return c.json(
      { lines: page.map(lineView), nextAfterSeq, hasMore: lines.length > limit, status: build.status },
      200,
    );
  };

  const streamBuildLogs: AppRouteHandler<typeof routes.streamBuildLogs> = async (c) => {
    const build = await loadBuild(c.get('user'), c.req.valid('param').id);
    const resumeFrom = Number(c.req.header('last-event-id'));
    const start =
      Number.isInteger(resumeFrom) && c.req.header('last-event-id') ? resumeFrom : c.req.valid('query').afterSeq;
    return streamSSE(c, (sse) => followBuild(db, sse, build.id, start, timing));
  };

  return { getBuildLogs, streamBuildLogs };
}

/**
 * Sends the build's lines after `startAfter`, then new ones as they are written, a `status` event whenever the
 * status changes, and `end` once the build has finished.
 */
async function followBuild(
  db: Database,
  sse: SSEStreamingApi,
  buildId: string,
  startAfter: number,
  timing: LogStreamTiming,
) {
  const pollMs = timing.pollMs ?? 500;
  const keepAliveMs = timing.keepAliveMs ?? 15_000;
  const cursor = logCursor(db, sse, buildId, startAfter);
  const waker = createWaker();
  const unsubscribe = onBuildLogAppended(buildId, waker.wake);
  sse.onAbort(waker.wake);
  let idleSince = Date.now();
  let lastStatus = '';
  try {
    while (!sse.aborted) {
      const sent = await cursor.sendNext(PAGE);
      if (sent === PAGE) continue;
      const [row] = await db.select().from(builds).where(eq(builds.id, buildId));
      if (!row) return;
      lastStatus = await sendStatusIfChanged(sse, row, lastStatus);
      if (isFinishedBuildStatus(row.status)) {
        // Lines flushed just before the final status are already sent; read once more for stragglers.
        await cursor.sendNext(10_000);
        await sse.writeSSE({ event: 'end', data: JSON.stringify({ status: row.status }) });
        return;
      }
      if (sent > 0) idleSince = Date.now();
      else if (Date.now() - idleSince > keepAliveMs) {
        await sse.write(': keep-alive\n\n');
        idleSince = Date.now();
      }
      await waker.sleep(pollMs);
    }
  } finally {
    unsubscribe();
  }
}

/** Sends the build's log lines in order, each as a `log` event whose id is its sequence number. */
function logCursor(db: Database, sse: SSEStreamingApi, buildId: string, startAfter: number) {
  let after = startAfter;
  return {
    /** Sends up to `limit` lines after the last one sent; returns how many it sent. */
    async sendNext(limit: number): Promise<number> {
      const lines = await readBuildLogLines(db, buildId, { afterSeq: after, limit });
      for (const line of lines) {
        await sse.writeSSE({ id: String(line.seq), event: 'log', data: JSON.stringify(lineView(line)) });
        after = line.seq;
      }
      return lines.length;
    },
  };
}

/** Sends a `status` event when status, progress, step or error changed since `last`; returns the one now sent. */
async function sendStatusIfChanged(sse: SSEStreamingApi, row: BuildRow, last: string): Promise<string> {
  const status = JSON.stringify({
    status: row.status,
    progress: row.progress,
    step: row.currentStep,
    error: row.error,
  });
  if (status !== last) await sse.writeSSE({ event: 'status', data: status });
  return status;
}

/** A pause that `wake` ends early (a new log line, or the reader went away). */
function createWaker() {
  let wake: (() => void) | undefined;
  return {
    wake: () => wake?.(),
    sleep: async (ms: number) => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    },
  };
}
