import { HTTPException } from 'hono/http-exception';
import { ProviderError } from '../../clients/git-providers/errors';

/**
 * The API status for a provider failure. A token GitLab/GitHub rejects is not the caller's Kiln token, so 401/403
 * from the provider become 502 (the UI must not sign the user out); a project the provider does not know is 404;
 * rate limits are 503; a refused request (unknown ref) is 400.
 */
export function providerFailure(error: unknown): unknown {
  if (!(error instanceof ProviderError)) return error;
  const status = (
    {
      unauthorized: 502,
      forbidden: 502,
      unavailable: 502,
      notFound: 404,
      rateLimited: 503,
      conflict: 409,
      invalid: 400,
    } as const
  )[error.kind];
  return new HTTPException(status, { message: error.message });
}

/** Runs a provider call and rethrows its failure as the matching HTTP error. */
export async function viaProvider<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw providerFailure(error);
  }
}
