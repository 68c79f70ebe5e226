/**
 * A fake GitLab REST API (v4) following the documented paths, auth headers, pagination headers, status codes and
 * payload shapes of the endpoints Kiln uses: pipelines, jobs, traces, commit statuses, project hooks and
 * `personal_access_tokens/self`. State is plain data the tests seed and inspect.
 *
 *   const gitlab = await startFakeGitLab();
 *   gitlab.addToken('glpat-ok', ['api']);
 *   const project = gitlab.addProject(7, 'group/app');
 *   gitlab.addPipeline(7, { ref: 'main', sha, status: 'failed', jobs: [{ name: 'build', stage: 'build' }] });
 */
import { createHash } from 'node:crypto';
import {
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  paginate,
  route,
  startFakeServer,
} from './fake-provider-http';

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

export interface FakeGitLab extends FakeServer {
  tokens: Map<string, FakeToken>;
  projects: Map<number, FakeProject>;
  addToken(token: string, scopes: string[], options?: Partial<FakeToken>): void;
  addProject(id: number, path: string, refs?: string[]): FakeProject;
  addPipeline(
    projectId: number,
    spec: { ref: string; sha: string; status: string; source?: string; jobs?: Partial<FakeJob>[] },
  ): FakePipeline;
  /** Answers the next `times` matching requests with 429 + Retry-After. */
  rateLimit(path: RegExp, retryAfterSeconds: number, times?: number, method?: string): void;
}

const finished = new Set(['success', 'failed', 'canceled', 'skipped']);

/** Starts the fake on 127.0.0.1:0; the Kiln base URL is `fake.baseUrl` (API under `/api/v4`). */
export async function startFakeGitLab(): Promise<FakeGitLab> {
  const tokens = new Map<string, FakeToken>();
  const projects = new Map<number, FakeProject>();
  let nextId = 1000;
  const now = () => new Date().toISOString();
  let baseUrl = '';

  const auth = (req: FakeRequest, need: 'read' | 'write'): FakeResponse | FakeToken => {
    const header = req.headers['private-token'] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = typeof header === 'string' ? tokens.get(header) : undefined;
    if (!token || !token.active) return { status: 401, body: { message: '401 Unauthorized' } };
    const ok = token.scopes.includes('api') || (need === 'read' && token.scopes.includes('read_api'));
    if (!ok) {
      return {
        status: 403,
        body: {
          error: 'insufficient_scope',
          error_description: 'The request requires higher privileges than provided by the access token.',
          scope: need === 'read' ? 'api read_api' : 'api',
        },
      };
    }
    return token;
  };
  const findProject = (idOrPath: string) =>
    [...projects.values()].find((p) => String(p.id) === idOrPath || p.path === idOrPath.toLowerCase());
  // Runs `fn` with the authenticated project, answering 401/403/404 the way GitLab does.
  const withProject =
    (
      need: 'read' | 'write',
      fn: (req: FakeRequest, project: FakeProject) => FakeResponse,
    ): ((req: FakeRequest) => FakeResponse) =>
    (req) => {
      const token = auth(req, need);
      if ('status' in token) return token;
      const project = findProject(req.params.id!);
      return project ? fn(req, project) : { status: 404, body: { message: '404 Project Not Found' } };
    };

  const pipelineJson = (p: FakePipeline, project: FakeProject) => ({
    id: p.id,
    iid: p.iid,
    project_id: project.id,
    sha: p.sha,
    ref: p.ref,
    status: p.status,
    source: p.source,
    created_at: p.createdAt,
    updated_at: p.createdAt,
    web_url: `${baseUrl}/${project.path}/-/pipelines/${p.id}`,
  });
  const jobJson = (j: FakeJob, project: FakeProject) => ({
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
    web_url: `${baseUrl}/${project.path}/-/jobs/${j.id}`,
  });
  const pipelineOf = (project: FakeProject, id: string) => project.pipelines.find((p) => String(p.id) === id);
  const notFound = (what: string): FakeResponse => ({ status: 404, body: { message: `404 ${what} Not Found` } });

  const addPipeline: FakeGitLab['addPipeline'] = (projectId, spec) => {
    const project = projects.get(projectId)!;
    const pipeline: FakePipeline = {
      id: nextId++,
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
        id: nextId++,
        name: job.name ?? 'job',
        stage: job.stage ?? 'test',
        status: job.status ?? spec.status,
        pipelineId: pipeline.id,
        allowFailure: job.allowFailure ?? false,
        trace: job.trace ?? '',
      });
    }
    return pipeline;
  };

  const routes = [
    route('GET', '/personal_access_tokens/self', (req) => {
      const header = req.headers['private-token'] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = typeof header === 'string' ? tokens.get(header) : undefined;
      if (!token) return { status: 401, body: { message: '401 Unauthorized' } };
      const id = Number.parseInt(createHash('sha1').update(String(header)).digest('hex').slice(0, 6), 16);
      return {
        status: 200,
        body: {
          id,
          name: token.name,
          revoked: false,
          created_at: now(),
          scopes: token.scopes,
          user_id: 42,
          last_used_at: now(),
          active: token.active,
          expires_at: token.expiresAt,
        },
      };
    }),
    route('GET', '/user', (req) => {
      const token = auth(req, 'read');
      if ('status' in token) return token;
      return { status: 200, body: { id: 42, username: 'kiln-bot', name: 'Kiln Bot', state: 'active' } };
    }),
    route(
      'GET',
      '/projects/:id/pipelines',
      withProject('read', (req, project) => {
        const filtered = project.pipelines.filter(
          (p) =>
            (!req.query.get('ref') || p.ref === req.query.get('ref')) &&
            (!req.query.get('sha') || p.sha === req.query.get('sha')) &&
            (!req.query.get('status') || p.status === req.query.get('status')),
        );
        const { slice, headers } = paginate(filtered, req.query, `${baseUrl}/api/v4`, req.path);
        return { status: 200, body: slice.map((p) => pipelineJson(p, project)), headers };
      }),
    ),
    route(
      'GET',
      '/projects/:id/pipelines/:pid',
      withProject('read', (req, project) => {
        const p = pipelineOf(project, req.params.pid!);
        return p ? { status: 200, body: pipelineJson(p, project) } : notFound('Pipeline');
      }),
    ),
    route(
      'POST',
      '/projects/:id/pipeline',
      withProject('write', (req, project) => {
        const ref = String(req.body.ref ?? req.query.get('ref') ?? '');
        if (!ref) return { status: 400, body: { error: 'ref is missing' } };
        if (!project.refs.has(ref)) return { status: 400, body: { message: { base: ['Reference not found'] } } };
        const sha = project.pipelines.find((p) => p.ref === ref)?.sha ?? createHash('sha1').update(ref).digest('hex');
        const pipeline = addPipeline(project.id, {
          ref,
          sha,
          status: 'created',
          source: 'api',
          jobs: [{ name: 'build', stage: 'build', status: 'created' }],
        });
        pipeline.variables = (req.body.variables as FakePipeline['variables']) ?? [];
        return { status: 201, body: pipelineJson(pipeline, project) };
      }),
    ),
    route(
      'POST',
      '/projects/:id/pipelines/:pid/cancel',
      withProject('write', (req, project) => {
        const p = pipelineOf(project, req.params.pid!);
        if (!p) return notFound('Pipeline');
        if (!finished.has(p.status)) p.status = 'canceled';
        for (const j of project.jobs) if (j.pipelineId === p.id && !finished.has(j.status)) j.status = 'canceled';
        return { status: 200, body: pipelineJson(p, project) };
      }),
    ),
    route(
      'POST',
      '/projects/:id/pipelines/:pid/retry',
      withProject('write', (req, project) => {
        const p = pipelineOf(project, req.params.pid!);
        if (!p) return notFound('Pipeline');
        p.status = 'pending';
        for (const j of project.jobs)
          if (j.pipelineId === p.id && (j.status === 'failed' || j.status === 'canceled')) j.status = 'pending';
        return { status: 201, body: pipelineJson(p, project) };
      }),
    ),
    route(
      'GET',
      '/projects/:id/pipelines/:pid/jobs',
      withProject('read', (req, project) => {
        const p = pipelineOf(project, req.params.pid!);
        if (!p) return notFound('Pipeline');
        // GitLab lists a pipeline's jobs newest first.
        const jobs = project.jobs.filter((j) => j.pipelineId === p.id).sort((a, b) => b.id - a.id);
        const { slice, headers } = paginate(jobs, req.query, `${baseUrl}/api/v4`, req.path);
        return { status: 200, body: slice.map((j) => jobJson(j, project)), headers };
      }),
    ),
    route(
      'GET',
      '/projects/:id/jobs/:job_id',
      withProject('read', (req, project) => {
        const job = project.jobs.find((j) => String(j.id) === req.params.job_id);
        return job ? { status: 200, body: jobJson(job, project) } : notFound('Job');
      }),
    ),
    route(
      'GET',
      '/projects/:id/jobs/:job_id/trace',
      withProject('read', (req, project) => {
        const job = project.jobs.find((j) => String(j.id) === req.params.job_id);
        return job ? { status: 200, text: job.trace } : notFound('Job');
      }),
    ),
    route(
      'POST',
      '/projects/:id/statuses/:sha',
      withProject('write', (req, project) => postStatus(req, project)),
    ),
    route(
      'GET',
      '/projects/:id/hooks',
      withProject('write', (_req, project) => ({ status: 200, body: project.hooks.map(hookJson) })),
    ),
    route(
      'POST',
      '/projects/:id/hooks',
      withProject('write', (req, project) => {
        if (!req.body.url) return { status: 400, body: { error: 'url is missing' } };
        const hook = {
          ...hookFields(req.body),
          id: nextId++,
          url: String(req.body.url),
          created_at: now(),
        } as FakeHook;
        project.hooks.push(hook);
        return { status: 201, body: hookJson(hook) };
      }),
    ),
    route(
      'PUT',
      '/projects/:id/hooks/:hook_id',
      withProject('write', (req, project) => {
        const hook = project.hooks.find((h) => String(h.id) === req.params.hook_id);
        if (!hook) return notFound('Hook');
        Object.assign(hook, hookFields(req.body), { url: String(req.body.url ?? hook.url) });
        return { status: 200, body: hookJson(hook) };
      }),
    ),
  ];

  function postStatus(req: FakeRequest, project: FakeProject): FakeResponse {
    const input = { ...Object.fromEntries(req.query), ...req.body } as Record<string, string | number | undefined>;
    const state = String(input.state ?? '');
    if (!['pending', 'running', 'success', 'failed', 'canceled', 'skipped'].includes(state)) {
      return { status: 400, body: { error: 'state does not have a valid value' } };
    }
    const name = String(input.name ?? input.context ?? 'default');
    const sha = req.params.sha!;
    const pipeline =
      project.pipelines.find((p) => String(p.id) === String(input.pipeline_id ?? '')) ??
      project.pipelines.find((p) => p.sha === sha && (!input.ref || p.ref === input.ref)) ??
      addPipeline(project.id, { ref: String(input.ref ?? 'main'), sha, status: 'pending', source: 'external' });
    const latest = project.statuses.findLast((s) => s.sha === sha && s.name === name && s.pipelineId === pipeline.id);
    // GitLab's state machine refuses moving a live status to the state it already has (e.g. :enqueue from :pending).
    if (latest && latest.status === state && !finished.has(state)) {
      const event = state === 'pending' ? 'enqueue' : 'run';
      return {
        status: 400,
        body: {
          message: `Cannot transition status via :${event} from :${state} (Reason(s): Status cannot transition via "${event}")`,
        },
      };
    }
    const status: FakeStatus = {
      id: nextId++,
      sha,
      name,
      status: state,
      targetUrl: (input.target_url as string) ?? null,
      description: (input.description as string) ?? null,
      ref: (input.ref as string) ?? pipeline.ref,
      pipelineId: pipeline.id,
    };
    project.statuses.push(status);
    return {
      status: 201,
      body: {
        id: status.id,
        sha,
        ref: status.ref,
        status: state,
        name,
        target_url: status.targetUrl,
        description: status.description,
        created_at: now(),
        allow_failure: false,
        pipeline_id: pipeline.id,
      },
    };
  }

  const server = await startFakeServer(['/api/v4'], routes, () => ({
    'ratelimit-limit': '2000',
    'ratelimit-remaining': '1999',
  }));
  baseUrl = server.baseUrl;
  return {
    ...server,
    tokens,
    projects,
    addToken(token, scopes, options = {}) {
      tokens.set(token, { scopes, active: true, name: 'kiln', expiresAt: null, ...options });
    },
    addProject(id, path, refs = ['main']) {
      const project: FakeProject = { id, path, refs: new Set(refs), pipelines: [], jobs: [], statuses: [], hooks: [] };
      projects.set(id, project);
      return project;
    },
    addPipeline,
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

function hookFields(body: Record<string, unknown>) {
  const flag = (key: string, fallback: boolean) =>
    body[key] === undefined ? fallback : body[key] === true || body[key] === 'true';
  return {
    token: (body.token as string | undefined) ?? null,
    push_events: flag('push_events', true),
    tag_push_events: flag('tag_push_events', false),
    merge_requests_events: flag('merge_requests_events', false),
    enable_ssl_verification: flag('enable_ssl_verification', true),
  };
}

// GitLab never returns a hook's secret token.
function hookJson({ token: _token, ...hook }: FakeHook) {
  return hook;
}
