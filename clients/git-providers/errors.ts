import { GitbeakerRequestError, GitbeakerRetryError, GitbeakerTimeoutError } from '@gitbeaker/rest';

/** Git providers Kiln talks to. */
export type ProviderKind = 'gitlab' | 'github';

/** What went wrong at a provider, independent of which provider it was. */
export type ProviderErrorKind =
  'unauthorized' | 'forbidden' | 'notFound' | 'conflict' | 'invalid' | 'rateLimited' | 'unavailable';

/** A provider call that failed, with a message that says what happened and what to do. Never carries the token. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly provider: ProviderKind,
    readonly kind: ProviderErrorKind,
    /** HTTP status the provider answered, 0 when it could not be reached. */
    readonly status: number,
    /** Seconds the provider asked us to wait (Retry-After / rate-limit reset). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  /** True for failures worth retrying later: rate limits, 5xx and unreachable servers. */
  get transient(): boolean {
    return this.kind === 'rateLimited' || this.kind === 'unavailable';
  }
}

/** What the failed call was doing, for the message: e.g. `listing pipelines of group/app`. */
export interface ErrorContext {
  action: string;
  /** `group/project` or `owner/repo` when the call concerned one. */
  project?: string;
  baseUrl: string;
}

const label: Record<ProviderKind, string> = { gitlab: 'GitLab', github: 'GitHub' };
const tokenAdvice: Record<ProviderKind, string> = {
  gitlab: 'register a token with the api scope in organization settings',
  github:
    'register a token with the repo scope (or a fine-grained token with Commit statuses and Webhooks: write) in organization settings',
};

/** Translates anything @gitbeaker/rest throws into a ProviderError. */
export function translateGitLabError(error: unknown, context: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof GitbeakerRequestError && error.cause?.response) {
    const { response, description } = error.cause;
    return fromStatus('gitlab', response.status, response.headers, description, context);
  }
  if (error instanceof GitbeakerRetryError) return fromStatus('gitlab', 429, new Headers(), '', context);
  return unreachable('gitlab', error, context);
}

/** Translates anything @octokit/rest throws into a ProviderError. */
export function translateGitHubError(error: unknown, context: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  // @octokit/rest throws RequestError (name HttpError); matched by shape so no transitive package is imported.
  const http = error as { name?: string; status?: number; response?: { headers: object; data: unknown } };
  if (http?.name === 'HttpError' && (http.status ?? 0) > 0 && http.response) {
    const headers = new Headers(http.response.headers as Record<string, string>);
    const data = http.response.data as { message?: string } | string | undefined;
    const description = typeof data === 'string' ? data : (data?.message ?? '');
    return fromStatus('github', http.status!, headers, description, context);
  }
  return unreachable('github', error, context);
}

function fromStatus(
  provider: ProviderKind,
  status: number,
  headers: Headers,
  description: string,
  context: ErrorContext,
): ProviderError {
  const name = label[provider];
  const what = context.project ?? 'the project';
  const detail = description ? ` (${description.slice(0, 200)})` : '';
  const retryAfter = retryAfterSeconds(headers);
  const make = (kind: ProviderErrorKind, message: string, wait?: number) =>
    new ProviderError(message, provider, kind, status, wait);
  if (isRateLimited(provider, status, headers, description)) {
    const wait = retryAfter ?? 60;
    return make(
      'rateLimited',
      `${name} rate limited Kiln (${status}) while ${context.action}: retry after ${wait} s.`,
      wait,
    );
  }
  switch (status) {
    case 401:
      return make(
        'unauthorized',
        `${name} rejected the token (401) while ${context.action}: ${tokenAdvice[provider]}.`,
      );
    case 403:
      return make(
        'forbidden',
        `${name} refused ${context.action} (403)${detail}: the token lacks a needed scope or access to ${what}; ${tokenAdvice[provider]}.`,
      );
    case 404:
      return make(
        'notFound',
        `${name} project ${what} not found (404) while ${context.action}: check the service's repository URL and that the token's user can see the project.`,
      );
    case 409:
      return make('conflict', `${name} refused ${context.action} (409)${detail}.`);
    case 400:
    case 422:
      return make('invalid', `${name} refused ${context.action} (${status})${detail}.`);
  }
  if (status >= 500) {
    return make('unavailable', `${name} failed while ${context.action} (${status}): try again later.`, retryAfter);
  }
  return make('invalid', `${name} answered ${status} while ${context.action}${detail}.`);
}

// GitHub signals primary rate limits with 403 + x-ratelimit-remaining: 0, secondary ones with 403/429 + a message.
function isRateLimited(provider: ProviderKind, status: number, headers: Headers, description: string): boolean {
  if (status === 429) return true;
  if (provider !== 'github' || status !== 403) return false;
  return headers.get('x-ratelimit-remaining') === '0' || /rate limit/i.test(description);
}

function retryAfterSeconds(headers: Headers): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim());
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset');
  if (reset && /^\d+$/.test(reset)) {
    const value = Number(reset);
    // GitHub sends an epoch second; GitLab's RateLimit-Reset is also an epoch second.
    return value > 1e9 ? Math.max(0, Math.ceil(value - Date.now() / 1000)) : value;
  }
  return undefined;
}

function unreachable(provider: ProviderKind, error: unknown, context: ErrorContext): ProviderError {
  const names = [(error as Error)?.name, ((error as Error)?.cause as Error | undefined)?.name];
  const timeout = error instanceof GitbeakerTimeoutError || names.includes('TimeoutError');
  const cause = timeout ? 'the request timed out' : describeCause(error);
  return new ProviderError(
    `Kiln cannot reach ${label[provider]} at ${context.baseUrl} while ${context.action} (${cause}): check the provider's base URL and network.`,
    provider,
    'unavailable',
    0,
  );
}

function describeCause(error: unknown): string {
  const err = error as { message?: string; cause?: { code?: string; message?: string } } | undefined;
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? 'unknown error';
}
