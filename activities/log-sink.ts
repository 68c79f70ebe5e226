/** Which stream a build log line came from; `system` lines are Kiln's own ("Triggered by Webhook", step banners). */
export type LogStream = 'stdout' | 'stderr' | 'system';

/**
 * Where builder output goes, line by line and in order. Implementations persist lines (the database in
 * production) and must never drop one; secrets are redacted by the sink, not by each writer.
 */
export interface LogSink {
  write(stream: LogStream, line: string): void;
  /** Resolves once every line written so far is durable. */
  flush(): Promise<void>;
}
