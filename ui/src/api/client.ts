// The one place the UI talks HTTP to Kiln: a `hono/client` typed by the API's own routes (`KilnApp`), the bearer
// token from localStorage, and errors that carry the server's message.
import { hc, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { KilnApp } from '../../../api/app';

const TOKEN_KEY = 'kiln.apiToken';

/** The stored API token, or null before sign-in. */
export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Stores (or, with null, forgets) the API token. */
export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

/** Fired on `window` when a stored token is refused (revoked or expired): the app signs out. */
export const UNAUTHORIZED_EVENT = 'kiln:unauthorized';

/** An API error with the server's message, which already says what to do. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Headers every API call carries. */
export function authHeaders(token = getToken()): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * The API under `/api/v1`, typed from `KilnApp`: paths, params, query, JSON bodies and responses come from the
 * routes. Without `token` each call sends the stored one and a 401 signs the app out; with it (sign-in checks a
 * token before storing it, `''` sends none) a 401 is only an error.
 */
export function kilnClient(token?: string) {
  const given = token !== undefined;
  return hc<KilnApp>('/', {
    headers: () => ({ accept: 'application/json', ...authHeaders(given ? token : getToken()) }),
    fetch: (input: RequestInfo | URL, init?: RequestInit) => send(input, init, !given),
  }).api.v1;
}

/** The typed API, as `kilnClient()` returns it. */
export type KilnApi = ReturnType<typeof kilnClient>;

/** The JSON body of a call's success response(s); a 204 has none. */
export type Ok<R> =
  R extends ClientResponse<infer T, infer S, infer _F>
    ? S extends SuccessStatusCode
      ? S extends 204
        ? undefined
        : T
      : never
    : never;

/** Waits for a call and returns its success body; failures were already thrown as ApiError by `send`. */
export async function read<R extends ClientResponse<unknown>>(call: Promise<R>): Promise<Ok<R>> {
  const response = await call;
  const text = response.status === 204 ? '' : await response.text();
  return (text ? JSON.parse(text) : undefined) as Ok<R>;
}

/** Fetches, and turns an unreachable server or an error status into an ApiError with the server's message. */
async function send(input: RequestInfo | URL, init: RequestInit | undefined, signsOut: boolean): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch {
    throw new ApiError(0, 'Kiln is not reachable. Check that the server is running, then retry.');
  }
  if (response.ok) return response;
  if (response.status === 401 && signsOut) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  const text = await response.text();
  const message = (text ? messageOf(text) : undefined) ?? `${response.status} ${response.statusText}`;
  throw new ApiError(response.status, message);
}

/** The `message` of an error body; a body that is not JSON is the message itself. */
function messageOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { message?: string } | null)?.message;
  } catch {
    return text;
  }
}
