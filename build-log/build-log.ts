import { Context } from '@temporalio/activity';
import type { Database } from '../db/client';
import { createBuildLogSink } from './build-log-sink';
import type { BuildLogSink } from './build-log-sink';

/**
 * The parts of a build's log, in order. Each part writes from its own fixed seq range, and each attempt of an
 * activity from its own sub-range, so a retried attempt rewrites its own lines instead of interleaving.
 */
export const logParts = { begin: 1, clone: 2, profile: 3, subprojects: 4, build: 5, deploy: 6, finish: 9 } as const;
export type LogPart = keyof typeof logParts;

const partSpan = 1_000_000;
const attemptSpan = 100_000;

/** Opens the part of a build's log that the calling activity writes, redacting `secrets`. */
export function openBuildLog(db: Database, buildId: string, part: LogPart, secrets: string[] = []): BuildLogSink {
  const attempt = Context.current().info.attempt;
  const startSeq = logParts[part] * partSpan + Math.min(attempt - 1, 9) * attemptSpan;
  return createBuildLogSink({ db, buildId, startSeq, secrets });
}

/** Writes `lines` as system lines to one part of a build's log and waits until they are stored. */
export async function writeSystemLines(db: Database, buildId: string, part: LogPart, lines: string[]): Promise<void> {
  const log = openBuildLog(db, buildId, part);
  for (const line of lines) log.write('system', line);
  await log.close();
}
