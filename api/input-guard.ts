import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { unstorableReason } from '../domain/storable-text';
import { apiError } from './errors';

/** The part of a request that held the value: a JSON field, a path or query parameter, a header. */
export type InputPlace = 'Field' | 'Path parameter' | 'Query parameter' | 'Header';

/** Throws a 400 naming `name` when `text` cannot be stored. */
export function assertStorableText(place: InputPlace, name: string, text: string): void {
  const reason = unstorableReason(text);
  if (reason) throw apiError(400, `${place} "${printable(name)}" ${reason}. Remove it and send the request again.`);
}

/** Walks a parsed JSON value (keys and strings) and throws a 400 naming the first field Kiln cannot store. */
export function assertStorableJson(value: unknown, path = ''): void {
  if (typeof value === 'string') return assertStorableText('Field', path || '(body)', value);
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertStorableJson(item, `${path}[${index}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    assertStorableText('Field', field, key);
    assertStorableJson(item, field);
  }
}

/**
 * Refuses, before any handler runs, a request carrying a string PostgreSQL cannot store: in the decoded path,
 * the query string, a header, or anywhere in a JSON body. Webhook bodies are left unread here (their exact
 * bytes are verified against signatures) and checked where they are decoded (`webhooks/read-delivery.ts`).
 */
export function inputGuard(options: { skipBody?: (path: string) => boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    checkPath(url.pathname, c.req.method, routePathOf(c));
    for (const [name, value] of url.searchParams) {
      assertStorableText('Query parameter', name, name);
      assertStorableText('Query parameter', name, value);
    }
    c.req.raw.headers.forEach((value, name) => assertStorableText('Header', name, value));
    if (c.req.raw.body && !options.skipBody?.(c.req.path)) await checkBody(c.req);
    await next();
  };
}

type GuardedRequest = Parameters<MiddlewareHandler>[0]['req'];

async function checkBody(req: GuardedRequest): Promise<void> {
  // Read through Hono's body cache, so the route's validator parses the same bytes afterwards.
  const bytes = await req.arrayBuffer();
  if (bytes.byteLength === 0) return;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw apiError(400, 'The request body is not valid UTF-8; send JSON encoded as UTF-8.');
  }
  if (!(req.header('content-type') ?? '').includes('json')) return assertStorableText('Field', '(body)', text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the route's own validator says so in its words.
    return;
  }
  assertStorableJson(parsed);
}

/** Checks each decoded path segment; names it after the route's `:param` at that position when one matches. */
function checkPath(pathname: string, method: string, pattern: string | undefined): void {
  const names = (pattern ?? '').split('/');
  pathname.split('/').forEach((segment, index) => {
    const name = names[index]?.startsWith(':') ? names[index].slice(1).replace(/\{.*$/, '') : undefined;
    const place: InputPlace = name ? 'Path parameter' : 'Field';
    const label = name ?? `path segment ${index} of ${method} ${pathname}`;
    assertStorableText(place, label, decodeSegment(segment));
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Hono keeps a segment it cannot decode as it is; so do we, and the raw text has no NUL.
    return segment;
  }
}

/** The pattern (`/api/v1/services/:id`) of the route that will answer, when routing already picked one. */
function routePathOf(c: Parameters<MiddlewareHandler>[0]): string | undefined {
  try {
    // -1 is the last matched handler: the route itself, after every middleware.
    const path = routePath(c, -1);
    return path.includes(':') ? path : undefined;
  } catch {
    return undefined;
  }
}

/** A name as it can be shown (and stored in a delivery's response): control characters escaped. */
function printable(name: string): string {
  return JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name)
    .slice(1, -1)
    .replace(/[\ud800-\udfff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
