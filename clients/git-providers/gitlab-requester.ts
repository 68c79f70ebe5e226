import { GitbeakerRequestError, GitbeakerTimeoutError } from '@gitbeaker/rest';
import {
  createRequesterFn,
  type FormattedResponse,
  type RequestOptions,
  type ResponseBodyTypes,
} from '@gitbeaker/requester-utils';

// @gitbeaker/rest's own handler retries 429/502 ten times within ~0.3 s and drops Retry-After on the floor. This one
// sends each request once and throws with the response attached, so errors.ts can read the status and headers
// and retry.ts can wait as long as GitLab asks.
async function requestOnce(endpoint: string, raw?: Record<string, unknown>): Promise<FormattedResponse> {
  const options = raw as RequestOptions | undefined;
  const { prefixUrl, searchParams, method, asStream, agent: _agent, rateLimiters: _limits, ...rest } = options ?? {};
  const base = prefixUrl ? (prefixUrl.endsWith('/') ? prefixUrl : `${prefixUrl}/`) : undefined;
  const url = new URL(endpoint, base);
  url.search = searchParams ?? '';
  const request = new Request(url, { ...(rest as RequestInit), method });
  const response = await fetch(request).catch((error: Error) => {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') throw new GitbeakerTimeoutError('Query timeout');
    throw error;
  });
  if (!response.ok) {
    const text = await response.text();
    throw new GitbeakerRequestError(describe(text, response.headers.get('content-type')), {
      cause: { description: describe(text, response.headers.get('content-type')), request, response },
    });
  }
  const headers = Object.fromEntries(response.headers.entries());
  if (asStream) return { body: response.body as ResponseBodyTypes, headers, status: response.status };
  return { body: response.status === 204 ? null : await parseBody(response), headers, status: response.status };
}

async function parseBody(response: Response): Promise<ResponseBodyTypes> {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (type === 'application/json') return ((await response.json()) as ResponseBodyTypes) ?? {};
  if (type.startsWith('text/')) return response.text();
  return response.blob();
}

// GitLab errors are `{ message }` or `{ error }`, where message may itself be an object of field errors.
function describe(text: string, contentType: string | null): string {
  if (!contentType?.includes('application/json')) return text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const value = body.message ?? body.error ?? '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return text.slice(0, 300);
  }
}

/** A gitbeaker requester that never retries on its own; pass as `requesterFn` to `new Gitlab(...)`. */
export const singleShotRequester = createRequesterFn((_service, options) => Promise.resolve(options), requestOnce);
