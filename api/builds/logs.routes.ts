import { createRoute, z } from '@hono/zod-openapi';
import type { RouteHandler } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { onBuildLogAppended, readBuildLogLines, type BuildLogLine } from '../../db/build-logs';
import { builds } from '../../db/schema';
import type { AppDeps, AppEnv } from '../deps';
import { bearerSecurity, commonErrors, createRouter, jsonResponse, uuidParam } from '../openapi';
import { visibleTo, withinReach } from '../scope';
import { isFinishedBuildStatus } from '../../domain/build-status';
import { logStreams } from '../../domain/log-stream';

const lineSchema = z
  .object({ seq: z.number(), stream: z.enum(logStreams), text: z.string(), at: z.string() })
  .openapi('BuildLogLine');
const logsQuery = z.object({
  afterSeq: z.coerce.number().int().min(-1).default(-1).openapi({ description: 'Return lines after this seq' }),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  search: z.string().max(200).optional().openapi({ description: 'Only lines containing this text (case-insensitive)' }),
});
const logsRoute = createRoute({
  method: 'get',
  path: '/builds/{id}/logs',
  tags: ['Builds'],
  security: bearerSecurity,
  summary: 'Build log lines in order, paged by seq, optionally filtered by a search text (member)',
  request: { params: uuidParam, query: logsQuery },
  responses: {
    200: jsonResponse(
      z.object({ lines: z.array(lineSchema), nextAfterSeq: z.number(), hasMore: z.boolean(), status: z.string() }),
      'Log lines',
    ),
    ...commonErrors,
  },
});
const streamRoute = createRoute({
  method: 'get',
  path: '/builds/{id}/logs/stream',
  tags: ['Builds'],
  security: bearerSecurity,
  summary:
    'Live log (Server-Sent Events): `log` events (id = seq), `status` events, and `end` when the build finishes (member)',
  description: 'Resume with the Last-Event-ID header or ?afterSeq=. Works across processes (polls the database).',
  request: { params: uuidParam, query: logsQuery.pick({ afterSeq: true }) },
  responses: {
    200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'Event stream' },
    ...commonErrors,
  },
});

const PAGE = 500;
const lineView = (line: BuildLogLine) => ({
  seq: line.seq,
  stream: line.stream,
  text: line.text,
  at: line.at.toISOString(),
});

/** Build log routes: paged lines and the live SSE stream. */
export function buildLogsRouter({ db }: AppDeps, options: { pollMs?: number; keepAliveMs?: number } = {}) {
  const pollMs = options.pollMs ?? 500;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const loadBuild = async (user: AppEnv['Variables']['user'], id: string) => {
    const [row] = await db
      .select()
      .from(builds)
      .where(visibleTo(user, builds.organizationId, eq(builds.id, id)));
    return withinReach(user, row, `Build ${id}`);
  };

  const logs: RouteHandler<typeof logsRoute, AppEnv> = async (c) => {
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

  const stream: RouteHandler<typeof streamRoute, AppEnv> = async (c) => {
    const build = await loadBuild(c.get('user'), c.req.valid('param').id);
    const resumeFrom = Number(c.req.header('last-event-id'));
    const start =
      Number.isInteger(resumeFrom) && c.req.header('last-event-id') ? resumeFrom : c.req.valid('query').afterSeq;
    return streamSSE(c, (sse) => followBuild(sse, build.id, start)) as never;
  };

  async function followBuild(sse: SSEStreamingApi, buildId: string, startAfter: number) {
    let after = startAfter;
    let lastStatus = '';
    let wake: (() => void) | undefined;
    const unsubscribe = onBuildLogAppended(buildId, () => wake?.());
    sse.onAbort(() => wake?.());
    let idleSince = Date.now();
    try {
      while (!sse.aborted) {
        const lines = await readBuildLogLines(db, buildId, { afterSeq: after, limit: PAGE });
        for (const line of lines) {
          await sse.writeSSE({ id: String(line.seq), event: 'log', data: JSON.stringify(lineView(line)) });
          after = line.seq;
        }
        if (lines.length === PAGE) continue;
        const [row] = await db.select().from(builds).where(eq(builds.id, buildId));
        if (!row) return;
        const status = JSON.stringify({
          status: row.status,
          progress: row.progress,
          step: row.currentStep,
          error: row.error,
        });
        if (status !== lastStatus) {
          await sse.writeSSE({ event: 'status', data: status });
          lastStatus = status;
        }
        if (isFinishedBuildStatus(row.status)) {
          // Lines flushed just before the final status are already in `lines`; read once more for stragglers.
          for (const line of await readBuildLogLines(db, buildId, { afterSeq: after, limit: 10_000 })) {
            await sse.writeSSE({ id: String(line.seq), event: 'log', data: JSON.stringify(lineView(line)) });
            after = line.seq;
          }
          await sse.writeSSE({ event: 'end', data: JSON.stringify({ status: row.status }) });
          return;
        }
        if (lines.length > 0) idleSince = Date.now();
        else if (Date.now() - idleSince > keepAliveMs) {
          await sse.write(': keep-alive\n\n');
          idleSince = Date.now();
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      unsubscribe();
    }
  }

  return createRouter().openapi(logsRoute, logs).openapi(streamRoute, stream);
}
