import { GitbeakerRequestError, Gitlab } from '@gitbeaker/rest';
import { translateGitLabError } from './errors';
import { singleShotRequester } from './gitlab-requester';

/** Where and as whom to call GitLab. */
export interface GitLabClientOptions {
  /** GitLab's address (`https://gitlab.example.com`); a trailing `/api/v4` is accepted too. */
  baseUrl: string;
  token: string;
  /** Per-request timeout; the API keeps it short so a slow GitLab cannot hang a page. */
  timeoutMs?: number;
}

/** What every group of GitLab operations works with: the API and a wrapper naming the action in any failure. */
export interface GitLabContext {
  api: Gitlab;
  /** Runs one request; any failure comes out as a ProviderError (errors.ts) naming `action` and `project`. */
  call: <T>(action: string, project: string | undefined, run: () => Promise<T>) => Promise<T>;
}

/** GitLab's address without the API suffix, as @gitbeaker/rest wants it. */
export function gitlabHost(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/api\/v4$/, '');
}

/** The API for one token, sending each request once (gitlab-requester.ts), and its error-translating `call`. */
export function createGitLabContext({ baseUrl, token, timeoutMs = 30_000 }: GitLabClientOptions): GitLabContext {
  const host = gitlabHost(baseUrl);
  const api = new Gitlab({ host, token, requesterFn: singleShotRequester, queryTimeout: timeoutMs });
  const call = async <T>(action: string, project: string | undefined, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw translateGitLabError(error, { action, project, baseUrl: host });
    }
  };
  return { api, call };
}

/** True when GitLab answered 404. */
export function isNotFound(error: unknown): boolean {
  return error instanceof GitbeakerRequestError && error.cause?.response.status === 404;
}

/** `true` for a 404, otherwise rethrows: for "does it exist" questions. */
export function existsUnlessNotFound(request: Promise<unknown>): Promise<boolean> {
  return request.then(
    () => true,
    (error: unknown) => (isNotFound(error) ? false : Promise.reject(error)),
  );
}
