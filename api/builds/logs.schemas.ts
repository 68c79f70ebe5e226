import { z } from '@hono/zod-openapi';
import { logStreams } from '../../domain/log-stream';

/** One build log line. */
export const logLineSchema = z
  .object({ seq: z.number(), stream: z.enum(logStreams), text: z.string(), at: z.string() })
  .openapi('BuildLogLine');

/** Which log lines to read: after a sequence number, how many, matching what. */
export const logsQuery = z.object({
  afterSeq: z.coerce.number().int().min(-1).default(-1).openapi({ description: 'Return lines after this seq' }),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  search: z.string().max(200).optional().openapi({ description: 'Only lines containing this text (case-insensitive)' }),
});

/** One page of log lines with where to continue and the build's status. */
export const logPageSchema = z.object({
  lines: z.array(logLineSchema),
  nextAfterSeq: z.number(),
  hasMore: z.boolean(),
  status: z.string(),
});

/** The live log's query: where to resume (the Last-Event-ID header wins). */
export const logStreamQuery = logsQuery.pick({ afterSeq: true });

/** `text/event-stream`: `log` events (id = seq), `status` events, then `end`. */
export const eventStreamSchema = z.string();
