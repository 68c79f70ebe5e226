import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from './errors';

/** How hard to retry transient provider failures. */
export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  /** Wait before the second attempt when the provider named none; doubles each time. */
  baseDelayMs: number;
  /** Longest single wait, even when Retry-After asks for more (the caller then sees the rate-limit error). */
  maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt, so callers can bound the total. */
  budgetMs?: number;
}

/** Four attempts, waits up to 30 s each, nothing retried after 90 s. */
export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000, budgetMs: 90_000 };

/**
 * Runs `call`, retrying rate limits (honouring Retry-After) and 5xx/unreachable answers; anything else, or a
 * wait longer than `maxDelayMs`, is thrown at once.
 */
export async function withProviderRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.transient || attempt >= policy.attempts) throw error;
      const wait =
        error.retryAfterSeconds !== undefined
          ? error.retryAfterSeconds * 1000
          : policy.baseDelayMs * 2 ** (attempt - 1);
      if (wait > policy.maxDelayMs) throw error;
      if (policy.budgetMs !== undefined && Date.now() - started + wait > policy.budgetMs) throw error;
      await sleep(wait);
    }
  }
}
