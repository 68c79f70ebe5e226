/**
 * Plumbing shared by the fake GitLab and GitHub servers: a tiny router over node:http on port 0, a request log,
 * and injected failures (rate limits, outages) the tests can queue.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  params: Record<string, string>;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as text/plain instead of JSON. */
  text?: string;
  /** Wait this long before answering (to exercise client timeouts). */
  delayMs?: number;
}

export type Handler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** A failure to answer instead of the real route, `times` times, for requests matching `method` and `path`. */
export interface InjectedFailure {
  method?: string;
  path: RegExp;
  times: number;
  response: FakeResponse;
}

/** Compiles `/projects/:id/pipelines/:pid` into a route. */
export function route(method: string, template: string, handler: Handler): Route {
  const names: string[] = [];
  const source = template.replace(/:([a-z_]+)/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), names, handler };
}

export interface FakeServer {
  baseUrl: string;
  requests: { method: string; path: string; authorization?: string; privateToken?: string }[];
  failures: InjectedFailure[];
  stop(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 answering `routes` under `prefix` (e.g. `/api/v4`). */
export async function startFakeServer(
  prefixes: string[],
  routes: Route[],
  commonHeaders: () => Record<string, string> = () => ({}),
): Promise<FakeServer> {
  const requests: FakeServer['requests'] = [];
  const failures: InjectedFailure[] = [];
  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, { status: 500, body: { message: error.message } }, {}));
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const prefix = prefixes.find((p) => url.pathname.startsWith(p)) ?? '';
    const path = url.pathname.slice(prefix.length) || '/';
    const method = req.method ?? 'GET';
    requests.push({
      method,
      path: `${path}${url.search}`,
      authorization: req.headers.authorization,
      privateToken: req.headers['private-token'] as string | undefined,
    });
    const injected = failures.find((f) => f.times > 0 && (!f.method || f.method === method) && f.path.test(path));
    if (injected) {
      injected.times -= 1;
      return send(res, injected.response, commonHeaders());
    }
    const body = await readBody(req);
    for (const r of routes) {
      const match = r.method === method ? r.pattern.exec(path) : null;
      if (!match) continue;
      const params = Object.fromEntries(r.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      const response = await r.handler({ method, path, query: url.searchParams, headers: req.headers, body, params });
      return send(res, response, commonHeaders());
    }
    await send(res, { status: 404, body: { message: '404 Not Found' } }, commonHeaders());
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    failures,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json'))
    return JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(text));
}

async function send(res: ServerResponse, response: FakeResponse, common: Record<string, string>) {
  if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
  if (res.destroyed) return;
  const isText = response.text !== undefined;
  const payload = isText ? response.text! : response.body === undefined ? '' : JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...common,
    ...(payload ? { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json' } : {}),
    ...response.headers,
  });
  res.end(payload);
}

/** Offset pagination the way GitLab does it: x-* headers plus an RFC 8288 Link header. */
export function paginate<T>(items: T[], query: URLSearchParams, baseUrl: string, path: string) {
  const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 20) || 20));
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number, rel: string) => {
    const q = new URLSearchParams(query);
    q.set('page', String(p));
    q.set('per_page', String(perPage));
    return `<${baseUrl}${path}?${q.toString()}>; rel="${rel}"`;
  };
  const links = [link(1, 'first'), link(totalPages, 'last')];
  if (page < totalPages) links.unshift(link(page + 1, 'next'));
  if (page > 1) links.unshift(link(page - 1, 'prev'));
  const headers: Record<string, string> = {
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-total': String(items.length),
    'x-total-pages': String(totalPages),
    'x-next-page': page < totalPages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    link: links.join(', '),
  };
  return { slice, headers };
}
