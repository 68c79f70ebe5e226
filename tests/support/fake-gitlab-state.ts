/** The fake GitLab's data and the helpers its routes share (auth, project lookup, JSON shapes). */
import type { FakeRequest, FakeResponse } from './fake-provider-http';

export interface FakeToken {
  scopes: string[];
  active: boolean;
  name: string;
  expiresAt: string | null;
}

export interface FakeJob {
  id: number;
  name: string;
  stage: string;
  status: string;
  pipelineId: number;
  allowFailure: boolean;
  trace: string;
}

export interface FakePipeline {
  id: number;
  iid: number;
  ref: string;
  sha: string;
  status: string;
  source: string;
  createdAt: string;
  variables: { key: string; value: string }[];
}

export interface FakeStatus {
  id: number;
  sha: string;
  name: string;
  status: string;
  targetUrl: string | null;
  description: string | null;
  ref: string | null;
  pipelineId: number;
}

export interface FakeHook {
  id: number;
  url: string;
  token: string | null;
  push_events: boolean;
  tag_push_events: boolean;
  merge_requests_events: boolean;
  enable_ssl_verification: boolean;
  created_at: string;
}

export interface FakeProject {
  id: number;
  path: string;
  refs: Set<string>;
  pipelines: FakePipeline[];
  jobs: FakeJob[];
  statuses: FakeStatus[];
  hooks: FakeHook[];
}

export interface PipelineSpec {
  ref: string;
  sha: string;
  status: string;
  source?: string;
  jobs?: Partial<FakeJob>[];
}

export const finished = new Set(['success', 'failed', 'canceled', 'skipped']);
export const now = () => new Date().toISOString();
export const notFound = (what: string): FakeResponse => ({ status: 404, body: { message: `404 ${what} Not Found` } });

/** Everything the fake GitLab knows; routes read and change it, tests seed and inspect it. */
export class GitLabState {
  readonly tokens = new Map<string, FakeToken>();
  readonly projects = new Map<number, FakeProject>();
  baseUrl = '';
  private lastId = 1000;

  nextId(): number {
    return this.lastId++;
  }

  /** Adds a pipeline (newest first, as GitLab lists them) with its jobs. */
  addPipeline(projectId: number, spec: PipelineSpec): FakePipeline {
    const project = this.projects.get(projectId)!;
    const pipeline: FakePipeline = {
      id: this.nextId(),
      iid: project.pipelines.length + 1,
      ref: spec.ref,
      sha: spec.sha,
      status: spec.status,
      source: spec.source ?? 'push',
      createdAt: new Date(Date.now() + project.pipelines.length).toISOString(),
      variables: [],
    };
    project.pipelines.unshift(pipeline);
    for (const job of spec.jobs ?? []) {
      project.jobs.push({
        id: this.nextId(),
        name: job.name ?? 'job',
        stage: job.stage ?? 'test',
        status: job.status ?? spec.status,
        pipelineId: pipeline.id,
        allowFailure: job.allowFailure ?? false,
        trace: job.trace ?? '',
      });
    }
    return pipeline;
  }

  /** The token a request carries, as `PRIVATE-TOKEN` or `Authorization: Bearer`. */
  tokenOf(req: FakeRequest): { value: string; token: FakeToken | undefined } {
    const header = req.headers['private-token'] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const value = typeof header === 'string' ? header : '';
    return { value, token: this.tokens.get(value) };
  }

  /** 401 for a missing or revoked token, 403 (insufficient_scope) when it lacks api / read_api. */
  auth(req: FakeRequest, need: 'read' | 'write'): FakeResponse | FakeToken {
    const { token } = this.tokenOf(req);
    if (!token || !token.active) return { status: 401, body: { message: '401 Unauthorized' } };
    const ok = token.scopes.includes('api') || (need === 'read' && token.scopes.includes('read_api'));
    if (ok) return token;
    return {
      status: 403,
      body: {
        error: 'insufficient_scope',
        error_description: 'The request requires higher privileges than provided by the access token.',
        scope: need === 'read' ? 'api read_api' : 'api',
      },
    };
  }

  /** Wraps a handler with auth and the `:id` project lookup (numeric id or URL-encoded path), 404 when absent. */
  withProject(need: 'read' | 'write', fn: (req: FakeRequest, project: FakeProject) => FakeResponse) {
    return (req: FakeRequest): FakeResponse => {
      const token = this.auth(req, need);
      if ('status' in token) return token;
      const id = req.params.id!;
      const project = [...this.projects.values()].find((p) => String(p.id) === id || p.path === id.toLowerCase());
      return project ? fn(req, project) : { status: 404, body: { message: '404 Project Not Found' } };
    };
  }

  pipelineJson(p: FakePipeline, project: FakeProject) {
    return {
      id: p.id,
      iid: p.iid,
      project_id: project.id,
      sha: p.sha,
      ref: p.ref,
      status: p.status,
      source: p.source,
      created_at: p.createdAt,
      updated_at: p.createdAt,
      web_url: `${this.baseUrl}/${project.path}/-/pipelines/${p.id}`,
    };
  }

  jobJson(j: FakeJob, project: FakeProject) {
    return {
      id: j.id,
      name: j.name,
      stage: j.stage,
      status: j.status,
      ref: project.pipelines.find((p) => p.id === j.pipelineId)?.ref,
      allow_failure: j.allowFailure,
      created_at: now(),
      started_at: j.status === 'created' || j.status === 'pending' ? null : now(),
      finished_at: finished.has(j.status) ? now() : null,
      duration: finished.has(j.status) ? 12.5 : null,
      failure_reason: j.status === 'failed' ? 'script_failure' : undefined,
      pipeline: { id: j.pipelineId },
      web_url: `${this.baseUrl}/${project.path}/-/jobs/${j.id}`,
    };
  }
}
