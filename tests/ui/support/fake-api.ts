// A fake of Kiln's REST API for component tests: routes by method + path, records every call, answers JSON.
import { vi } from 'vitest';

type Handler = (ctx: { body: unknown; url: URL; params: string[] }) => { status?: number; body?: unknown } | unknown;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** Installs a fetch that serves `/api/v1` from registered routes; unknown routes answer 404 like the real API. */
export function installFakeApi() {
  const routes: Route[] = [];
  const calls: { method: string; path: string; body: unknown; auth: string | null }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://kiln.test');
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const headers = new Headers(init?.headers);
    const path = url.pathname.replace(/^\/api\/v1/, '');
    calls.push({ method, path, body, auth: headers.get('authorization') });
    for (const route of routes) {
      const match = route.method === method ? route.pattern.exec(path) : null;
      if (!match) continue;
      const result = route.handler({ body, url, params: match.slice(1) });
      const { status = 200, body: payload } =
        result && typeof result === 'object' && 'status' in result
          ? (result as { status: number; body?: unknown })
          : { body: result };
      return new Response(status === 204 ? null : JSON.stringify(payload), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    }
    return new Response(JSON.stringify({ error: 'NotFound', message: `No route ${method} ${path}.` }), { status: 404 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    /** Registers a route; `path` may contain `:param` segments. */
    on(method: string, path: string, handler: Handler) {
      const pattern = new RegExp(`^${path.replace(/:[a-zA-Z]+/g, '([^/?]+)')}$`);
      routes.unshift({ method, pattern, handler });
    },
    restore: () => vi.unstubAllGlobals(),
  };
}
