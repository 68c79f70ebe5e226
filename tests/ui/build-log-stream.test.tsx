// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSseParser } from '../../ui/src/api/sse';
import type { SseEvent } from '../../ui/src/api/sse';
import { BuildLog } from '../../ui/src/builds/build-log';
import { aBuild } from './support/builders';
import { renderWithApp } from './support/render-app';
import { installScrollLayout } from './support/scroll-box';

let uninstall: () => void;
beforeAll(() => (uninstall = installScrollLayout()));
afterAll(() => uninstall());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

const logEvent = (seq: number, text: string, stream = 'stdout') =>
  `id: ${seq}\nevent: log\ndata: ${JSON.stringify({ seq, stream, text, at: new Date().toISOString() })}\n\n`;

/** A fetch whose log stream the test feeds by hand, chunk by chunk. */
function streamingFetch() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const requests: { url: string; headers: Headers }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), headers: new Headers(init?.headers) });
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  const encoder = new TextEncoder();
  return {
    requests,
    push: (text: string) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
    fetchMock,
  };
}

describe('SSE parsing', () => {
  it('reassembles events split across chunks, with ids, names and multi-line data', () => {
    const events: SseEvent[] = [];
    const parse = createSseParser((e) => events.push(e));
    parse('id: 7\nevent: lo');
    parse('g\ndata: {"a":1}\r\n\r\n: keep-alive\n\ndata: one\ndata: two\n');
    parse('\n');
    expect(events).toEqual([
      { event: 'log', data: '{"a":1}', id: '7' },
      { event: 'message', data: 'one\ntwo', id: '7' },
    ]);
  });
});

describe('Build log streaming', () => {
  it('streams lines live with the bearer token, drops repeated seqs, and stops at the end event', async () => {
    localStorage.setItem('kiln.apiToken', 'tok-123');
    const stream = streamingFetch();
    const build = aBuild({ status: 'Building' });
    renderWithApp(<BuildLog build={build} />);
    await waitFor(() => expect(stream.requests).toHaveLength(1));
    expect(stream.requests[0]!.url).toBe(`/api/v1/builds/${build.id}/logs/stream`);
    expect(stream.requests[0]!.headers.get('authorization')).toBe('Bearer tok-123');

    stream.push(logEvent(0, 'Cloning repository'));
    expect(await screen.findByText('Cloning repository')).toBeInTheDocument();
    const half = logEvent(1, 'npm ERR! flaky', 'stderr');
    stream.push(half.slice(0, 20));
    stream.push(half.slice(20) + logEvent(0, 'Cloning repository'));
    expect(await screen.findByText('npm ERR! flaky')).toBeInTheDocument();
    expect(screen.getAllByText('Cloning repository')).toHaveLength(1);
    expect(screen.getByText('2 lines')).toBeInTheDocument();

    stream.push('event: status\ndata: {"status":"Succeeded"}\n\nevent: end\ndata: {"status":"Succeeded"}\n\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The end event closes the stream for good: no reconnect.
    expect(stream.fetchMock.mock.calls.filter(([url]) => String(url).includes('/logs/stream'))).toHaveLength(1);
  });

  it('reconnects after a dropped stream and resumes after the last line it saw', async () => {
    const stream = streamingFetch();
    const build = aBuild({ status: 'Building' });
    renderWithApp(<BuildLog build={build} />);
    await waitFor(() => expect(stream.requests).toHaveLength(1));
    stream.push(logEvent(0, 'first') + logEvent(1, 'second'));
    expect(await screen.findByText('second')).toBeInTheDocument();
    stream.close();
    await waitFor(() => expect(stream.requests).toHaveLength(2), { timeout: 6_000 });
    expect(stream.requests[1]!.headers.get('last-event-id')).toBe('1');
    stream.push(logEvent(2, 'third'));
    expect(await screen.findByText('third')).toBeInTheDocument();
    expect(screen.getByText('3 lines')).toBeInTheDocument();
  });
});
