/**
 * A fake GitLab REST API (v4) following the documented paths, auth headers (`PRIVATE-TOKEN` / `Authorization:
 * Bearer`), pagination headers (x-page, x-per-page, x-total, x-total-pages, x-next-page, Link), status codes and
 * payload shapes of the endpoints Kiln uses: pipelines, jobs, traces, commit statuses, project hooks and
 * `personal_access_tokens/self`. State is plain data the tests seed and inspect.
 *
 *   const gitlab = await startFakeGitLab();
 *   gitlab.addToken('glpat-ok', ['api']);
 *   gitlab.addProject(7, 'group/app');
 *   gitlab.addPipeline(7, { ref: 'main', sha, status: 'failed', jobs: [{ name: 'build', stage: 'build' }] });
 */
import { type FakeServer, startFakeServer } from './fake-provider-http';
import { FakeContentStore, gitlabChangeRequestRoutes } from './fake-change-request-routes';
import { commitRoutes } from './fake-gitlab-commit-routes';
import { pipelineRoutes } from './fake-gitlab-routes';
import {
  type FakePipeline,
  type FakeProject,
  type FakeToken,
  GitLabState,
  type PipelineSpec,
} from './fake-gitlab-state';

export type { FakeHook, FakeJob, FakePipeline, FakeProject, FakeStatus, FakeToken } from './fake-gitlab-state';

export interface FakeGitLab extends FakeServer {
  tokens: Map<string, FakeToken>;
  projects: Map<number, FakeProject>;
  /** Branches, files, commits and merge requests per project id (as a string). */
  content: FakeContentStore;
  addToken(token: string, scopes: string[], options?: Partial<FakeToken>): void;
  addProject(id: number, path: string, refs?: string[]): FakeProject;
  addPipeline(projectId: number, spec: PipelineSpec): FakePipeline;
  /** Answers the next `times` matching requests with 429 + Retry-After, as GitLab's rate limiter does. */
  rateLimit(path: RegExp, retryAfterSeconds: number, times?: number, method?: string): void;
}

/** Starts the fake on 127.0.0.1:0; Kiln's base URL for it is `fake.baseUrl` (API under `/api/v4`). */
export async function startFakeGitLab(): Promise<FakeGitLab> {
  const state = new GitLabState();
  const content = new FakeContentStore();
  const routes = [
    ...pipelineRoutes(state),
    ...commitRoutes(state),
    ...gitlabChangeRequestRoutes(
      content,
      (need, fn) => state.withProject(need, fn),
      () => state.baseUrl,
    ),
  ];
  const server = await startFakeServer(['/api/v4'], routes, () => ({
    'ratelimit-limit': '2000',
    'ratelimit-remaining': '1999',
  }));
  state.baseUrl = server.baseUrl;
  return {
    ...server,
    tokens: state.tokens,
    projects: state.projects,
    content,
    addToken(token, scopes, options = {}) {
      state.tokens.set(token, { scopes, active: true, name: 'kiln', expiresAt: null, ...options });
    },
    addProject(id, path, refs = ['main']) {
      const project: FakeProject = { id, path, refs: new Set(refs), pipelines: [], jobs: [], statuses: [], hooks: [] };
      state.projects.set(id, project);
      return project;
    },
    addPipeline: (projectId, spec) => state.addPipeline(projectId, spec),
    rateLimit(path, retryAfterSeconds, times = 1, method) {
      server.failures.push({
        method,
        path,
        times,
        response: {
          status: 429,
          text: 'Retry later',
          headers: { 'retry-after': String(retryAfterSeconds), 'ratelimit-remaining': '0' },
        },
      });
    },
  };
}
