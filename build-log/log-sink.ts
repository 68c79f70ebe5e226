import type { LogStream } from '../domain/log-stream';

/**
 * Where builder output goes, line by line and in order. Implementations persist lines (the database in
 * production) and must never drop one; secrets are redacted by the sink, not by each writer.
 */
export interface LogSink {
  write(stream: LogStream, line: string): void;
  /** Resolves once every line written so far is durable. */
  flush(): Promise<void>;
}
