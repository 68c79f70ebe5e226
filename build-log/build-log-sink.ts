import type { Database } from '../db/client';
import { appendBuildLogLines, type BuildLogLineInput } from '../db/build-logs';
import type { LogSink } from './log-sink';
import type { LogStream } from '../domain/log-stream';
import { createRedactor } from '../domain/redact';

// A single enormous line (a minified bundle echoed by a tool) must not bloat the database or the UI.
const MAX_LINE_CHARS = 16_384;

/** Where a sink writes (build, first seq), what it hides and how much it buffers. */
export interface BuildLogSinkOptions {
  db: Database;
  buildId: string;
  /**
   * First seq this sink writes. Give each activity a fixed base (e.g. step index × 1,000,000) so a retried
   * attempt rewrites the same seqs and the database keeps one copy; seq 0–999 belong to the API.
   */
  startSeq: number;
  /** Values never written to the log: the build's tokens and passwords. */
  secrets?: string[];
  /** Lines buffered before a write is forced. */
  batchSize?: number;
  /** Longest a line waits before it is written. */
  flushIntervalMs?: number;
  clock?: () => Date;
}

/** A LogSink that stores lines in the database in order, in batches, with secrets redacted. */
export interface BuildLogSink extends LogSink {
  /** The seq the next line will get. */
  readonly nextSeq: number;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

/** Creates the database-backed sink the build activities write builder output to. */
export function createBuildLogSink(options: BuildLogSinkOptions): BuildLogSink {
  const { db, buildId, batchSize = 200, flushIntervalMs = 200 } = options;
  const clock = options.clock ?? (() => new Date());
  const redact = createRedactor(options.secrets ?? []);
  let seq = options.startSeq;
  let buffer: BuildLogLineInput[] = [];
  let timer: NodeJS.Timeout | undefined;
  let failure: unknown;
  // Writes run one after another so lines reach the database in seq order.
  let chain: Promise<void> = Promise.resolve();

  const drain = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return chain;
    chain = chain.then(async () => {
      try {
        await appendBuildLogLines(db, buildId, batch);
      } catch (error) {
        // Keep the lines: the next flush writes them again (idempotent by seq) instead of dropping them.
        buffer = [...batch, ...buffer];
        failure = error;
      }
    });
    return chain;
  };

  return {
    get nextSeq() {
      return seq;
    },
    write(stream: LogStream, line: string) {
      const text = redact(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… (line truncated)` : line);
      buffer.push({ seq: seq++, stream, text, at: clock() });
      if (buffer.length >= batchSize) void drain();
      else timer ??= setTimeout(() => void drain(), flushIntervalMs);
    },
    async flush() {
      failure = undefined;
      await drain();
      if (failure !== undefined) {
        const error = failure;
        failure = undefined;
        throw error;
      }
    },
    async close() {
      await this.flush();
      if (timer) clearTimeout(timer);
    },
  };
}
