// The one place the UI talks HTTP to Kiln: bearer token from localStorage, JSON in and out, readable errors.

const TOKEN_KEY = 'kiln.apiToken';
export const API_BASE = '/api/v1';

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

/** Calls `path` under /api/v1 and returns its JSON body; throws ApiError with the server's message on failure. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(init.token ?? getToken()) };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(0, 'Kiln is not reachable. Check that the server is running, then retry.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data = text ? safeJson(text) : undefined;
  if (!response.ok) {
    if (response.status === 401 && init.token === undefined) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    const message = (data as { message?: string } | undefined)?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}
