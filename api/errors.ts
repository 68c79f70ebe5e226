import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

const names: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  503: 'Unavailable',
};

/** An expected API error; `onError` turns it into `{ error, message }` JSON with this status. */
export function apiError(status: ContentfulStatusCode, message: string): HTTPException {
  return new HTTPException(status, { message });
}

/** The JSON body for an error status. */
export function errorBody(status: number, message: string) {
  return { error: names[status] ?? 'Error', message };
}

/** Throws 404 unless `value` is present; used after org-scoped lookups so other orgs' objects look absent. */
export function found<T>(value: T | undefined | null, what: string): T {
  if (value == null) throw apiError(404, `${what} not found.`);
  return value;
}
