import { GitbeakerRequestError } from '@gitbeaker/rest';
import type { GitLabContext } from './gitlab-context';

/** A commit status to post: GitLab's own state names. */
export interface GitLabStatusInput {
  state: 'pending' | 'running' | 'success' | 'failed' | 'canceled';
  name: string;
  targetUrl: string;
  description: string;
  ref?: string;
  pipelineId?: number;
}

/** A project webhook's settings Kiln manages. */
export interface GitLabHookInput {
  url: string;
  token: string;
  pushEvents: boolean;
  tagPushEvents: boolean;
  mergeRequestsEvents: boolean;
  enableSslVerification: boolean;
}

/** A project webhook as GitLab lists it (GitLab never returns the secret token). */
export interface GitLabHook {
  id: number;
  url: string;
  push_events: boolean;
  tag_push_events: boolean;
  merge_requests_events: boolean;
  enable_ssl_verification: boolean;
}

/** What Kiln writes back to a project: commit statuses and its webhook. */
export function gitlabStatusAndHookOperations({ api, call }: GitLabContext) {
  return {
    /**
     * Posts a commit status. GitLab answers 400 "Cannot transition status" when the status already has this state
     * (a retried report); that is success, and returns 'unchanged'.
     */
    setCommitStatus: (project: string, sha: string, input: GitLabStatusInput) =>
      call(`reporting commit status ${input.name}`, project, async () => {
        const { state, ...options } = input;
        try {
          await api.Commits.editStatus(project, sha, state, options);
          return 'posted' as const;
        } catch (error) {
          if (isSameState(error)) return 'unchanged' as const;
          throw error;
        }
      }),
    listHooks: (project: string) =>
      call('listing webhooks', project, async () => (await api.ProjectHooks.all(project)) as unknown as GitLabHook[]),
    addHook: (project: string, { url, ...options }: GitLabHookInput) =>
      call(
        'adding the Kiln webhook',
        project,
        async () => (await api.ProjectHooks.add(project, url, options)) as unknown as GitLabHook,
      ),
    editHook: (project: string, id: number, { url, ...options }: GitLabHookInput) =>
      call(
        'updating the Kiln webhook',
        project,
        async () => (await api.ProjectHooks.edit(project, id, url, options)) as unknown as GitLabHook,
      ),
  };
}

function isSameState(error: unknown): boolean {
  return (
    error instanceof GitbeakerRequestError &&
    error.cause?.response.status === 400 &&
    /cannot transition status/i.test(error.cause.description)
  );
}
