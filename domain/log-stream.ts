/** Where a build log line came from: the build tool's stdout or stderr, or Kiln itself. Pure: no I/O. */
export const logStreams = ['stdout', 'stderr', 'system'] as const;
export type LogStream = (typeof logStreams)[number];

/** The streams of a process Kiln runs. */
export type ProcessStream = Exclude<LogStream, 'system'>;
