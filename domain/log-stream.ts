/** Where a build log line came from: the build tool's stdout or stderr, or Kiln itself. Pure: no I/O. */
export const logStreams = ['stdout', 'stderr', 'system'] as const;
export type LogStream = (typeof logStreams)[number];

/** The streams of a process (a build tool's, or a GitLab job's as its log marks them). */
export const processStreams = ['stdout', 'stderr'] as const satisfies readonly LogStream[];
export type ProcessStream = (typeof processStreams)[number];
