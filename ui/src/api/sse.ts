import { useEffect, useRef } from 'react';
import { authHeaders } from './client';

/** One Server-Sent Event. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Parses an SSE byte stream into events; kept separate so it is testable without a network. */
export function createSseParser(onEvent: (event: SseEvent) => void) {
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  let id: string | undefined;
  const dispatch = () => {
    if (data.length > 0) onEvent({ event, data: data.join('\n'), ...(id === undefined ? {} : { id }) });
    event = 'message';
    data = [];
  };
  return (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') dispatch();
      else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id') id = value;
      }
    }
  };
}

/**
 * Streams SSE from `path` (absolute, as `streams` gives it) with fetch so the bearer token travels in a header
 * (EventSource cannot send one).
 * Reconnects after a drop, resuming with Last-Event-ID; stops when `path` is null, the component unmounts or
 * `onEvent` returns true (the stream's resource has finished).
 */
export function useEventStream(path: string | null, onEvent: (event: SseEvent) => boolean | void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    let lastId: string | undefined;
    const run = async () => {
      for (let attempt = 0; !controller.signal.aborted; attempt++) {
        try {
          await readStream(path, lastId, controller.signal, (event) => {
            attempt = 0; // a stream that delivered events was healthy: back off from scratch after a drop
            if (event.id !== undefined) lastId = event.id;
            if (handler.current(event) === true) controller.abort();
          });
          // Closed without an end event (proxy timeout, restart): reconnect after a pause, resuming at lastId.
          if (!controller.signal.aborted) await sleep(3000, controller.signal);
        } catch {
          if (!controller.signal.aborted) await sleep(Math.min(1000 * 2 ** attempt, 10_000), controller.signal);
        }
      }
    };
    void run();
    return () => controller.abort();
  }, [path]);
}

async function readStream(
  path: string,
  lastId: string | undefined,
  signal: AbortSignal,
  onEvent: (e: SseEvent) => void,
) {
  const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders() };
  if (lastId !== undefined) headers['last-event-id'] = lastId;
  const response = await fetch(path, { headers, signal });
  if (!response.ok || !response.body) throw new Error(`stream ${path}: ${response.status}`);
  const parse = createSseParser(onEvent);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parse(value);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
