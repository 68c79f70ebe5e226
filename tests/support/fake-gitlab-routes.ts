/** The fake GitLab's token, user, pipeline, job and trace endpoints (`/api/v4/...`). */
import { createHash } from 'node:crypto';
import { type FakeResponse, paginate, type Route, route } from './fake-provider-http';
import { finished, type FakePipeline, type FakeProject, type GitLabState, notFound, now } from './fake-gitlab-state';

/** `personal_access_tokens/self`, `user`, pipelines (list/show/create/cancel/retry), jobs and traces. */
export function pipelineRoutes(state: GitLabState): Route[] {
  const pipelineOf = (project: FakeProject, id: string) => project.pipelines.find((p) => String(p.id) === id);
  const withPipeline = (need: 'read' | 'write', fn: (p: FakePipeline, project: FakeProject) => FakeResponse) =>
    state.withProject(need, (req, project) => {
      const pipeline = pipelineOf(project, req.params.pid!);
      return pipeline ? fn(pipeline, project) : notFound('Pipeline');
    });
  return [
    route('GET', '/personal_access_tokens/self', (req) => {
      const { value, token } = state.tokenOf(req);
      if (!token) return { status: 401, body: { message: '401 Unauthorized' } };
      const id = Number.parseInt(createHash('sha1').update(value).digest('hex').slice(0, 6), 16);
      const { name, scopes, active, expiresAt } = token;
      return {
        status: 200,
        body: {
          id,
          name,
          revoked: false,
          created_at: now(),
          scopes,
          user_id: 42,
          last_used_at: now(),
          active,
          expires_at: expiresAt,
        },
      };
    }),
    route('GET', '/user', (req) => {
      const token = state.auth(req, 'read');
      if ('status' in token) return token;
      return { status: 200, body: { id: 42, username: 'kiln-bot', name: 'Kiln Bot', state: 'active' } };
    }),
    route(
      'GET',
      '/projects/:id/pipelines',
      state.withProject('read', (req, project) => {
        const matches = (key: 'ref' | 'sha' | 'status', value: string) =>
          !req.query.get(key) || value === req.query.get(key);
        const filtered = project.pipelines.filter(
          (p) => matches('ref', p.ref) && matches('sha', p.sha) && matches('status', p.status),
        );
        const { slice, headers } = paginate(filtered, req.query, `${state.baseUrl}/api/v4`, req.path);
        return { status: 200, body: slice.map((p) => state.pipelineJson(p, project)), headers };
      }),
    ),
    route(
      'GET',
      '/projects/:id/pipelines/:pid',
      withPipeline('read', (p, project) => ({ status: 200, body: state.pipelineJson(p, project) })),
    ),
    route(
      'POST',
      '/projects/:id/pipeline',
      state.withProject('write', (req, project) => {
        const ref = String(req.body.ref ?? req.query.get('ref') ?? '');
        if (!ref) return { status: 400, body: { error: 'ref is missing' } };
        if (!project.refs.has(ref)) return { status: 400, body: { message: { base: ['Reference not found'] } } };
        const sha = project.pipelines.find((p) => p.ref === ref)?.sha ?? createHash('sha1').update(ref).digest('hex');
        const jobs = [{ name: 'build', stage: 'build', status: 'created' }];
        const pipeline = state.addPipeline(project.id, { ref, sha, status: 'created', source: 'api', jobs });
        pipeline.variables = (req.body.variables as FakePipeline['variables']) ?? [];
        return { status: 201, body: state.pipelineJson(pipeline, project) };
      }),
    ),
    route(
      'POST',
      '/projects/:id/pipelines/:pid/cancel',
      withPipeline('write', (p, project) => {
        if (!finished.has(p.status)) p.status = 'canceled';
        for (const j of project.jobs) if (j.pipelineId === p.id && !finished.has(j.status)) j.status = 'canceled';
        return { status: 200, body: state.pipelineJson(p, project) };
      }),
    ),
    route(
      'POST',
      '/projects/:id/pipelines/:pid/retry',
      withPipeline('write', (p, project) => {
        p.status = 'pending';
        for (const j of project.jobs) {
          if (j.pipelineId === p.id && (j.status === 'failed' || j.status === 'canceled')) j.status = 'pending';
        }
        return { status: 201, body: state.pipelineJson(p, project) };
      }),
    ),
    route(
      'GET',
      '/projects/:id/pipelines/:pid/jobs',
      state.withProject('read', (req, project) => {
        const p = pipelineOf(project, req.params.pid!);
        if (!p) return notFound('Pipeline');
        // GitLab lists a pipeline's jobs newest first.
        const jobs = project.jobs.filter((j) => j.pipelineId === p.id).sort((a, b) => b.id - a.id);
        const { slice, headers } = paginate(jobs, req.query, `${state.baseUrl}/api/v4`, req.path);
        return { status: 200, body: slice.map((j) => state.jobJson(j, project)), headers };
      }),
    ),
    route(
      'GET',
      '/projects/:id/jobs/:job_id',
      state.withProject('read', (req, project) => {
        const job = project.jobs.find((j) => String(j.id) === req.params.job_id);
        return job ? { status: 200, body: state.jobJson(job, project) } : notFound('Job');
      }),
    ),
    route(
      'GET',
      '/projects/:id/jobs/:job_id/trace',
      state.withProject('read', (req, project) => {
        const job = project.jobs.find((j) => String(j.id) === req.params.job_id);
        return job ? { status: 200, text: job.trace } : notFound('Job');
      }),
    ),
  ];
}
