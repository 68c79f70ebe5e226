import { useCallback, useEffect, useRef, useState } from 'react';
import { streams } from '../api/endpoints';
import { useEventStream } from '../api/sse';
import type { SseEvent } from '../api/sse';
import type { LogLine } from '../api/types';

/** How often buffered lines are handed to React: one render per tick, however fast lines arrive. */
const FLUSH_MS = 100;

/** Parses an SSE data payload into log lines: one line, an array, or `{ lines: [...] }`. */
export function parseLogEvent(data: string): LogLine[] {
  try {
    const value = JSON.parse(data) as unknown;
    const list = Array.isArray(value) ? value : ((value as { lines?: unknown }).lines ?? [value]);
    return (list as LogLine[]).filter((l) => l && typeof l.text === 'string' && typeof l.seq === 'number');
  } catch {
    return [];
  }
}

/**
 * The log of one build, streamed live: lines arrive over SSE (history first, then new lines), duplicates after a
 * reconnect are dropped by `seq`, and renders are batched so 100,000 lines stream smoothly.
 */
export function useBuildLog(buildId: string | null, onStatus?: () => void) {
  const statusHandler = useRef(onStatus);
  statusHandler.current = onStatus;
  const [lines, setLines] = useState<LogLine[]>([]);
  const [ended, setEnded] = useState(false);
  const pending = useRef<LogLine[]>([]);
  const lastSeq = useRef(-1);

  useEffect(() => {
    setLines([]);
    setEnded(false);
    pending.current = [];
    lastSeq.current = -1;
    if (!buildId) return;
    const timer = setInterval(() => {
      if (pending.current.length === 0) return;
      const batch = pending.current;
      pending.current = [];
      setLines((current) => current.concat(batch));
    }, FLUSH_MS);
    return () => clearInterval(timer);
  }, [buildId]);

  const onEvent = useCallback((event: SseEvent) => {
    if (event.event === 'end' || event.event === 'done') {
      setEnded(true);
      statusHandler.current?.();
      return true;
    }
    if (event.event === 'status') {
      statusHandler.current?.();
      return undefined;
    }
    if (event.event !== 'message' && event.event !== 'line' && event.event !== 'lines' && event.event !== 'log') return;
    for (const line of parseLogEvent(event.data)) {
      if (line.seq <= lastSeq.current) continue;
      lastSeq.current = line.seq;
      pending.current.push(line);
    }
    return undefined;
  }, []);
  useEventStream(buildId && !ended ? streams.buildLogs(buildId) : null, onEvent);
  return { lines, ended };
}
