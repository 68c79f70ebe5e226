/** The fake GitLab's commit status and project hook endpoints (`/api/v4/projects/:id/statuses|hooks`). */
import type { FakeRequest, FakeResponse, Route } from './fake-provider-http';
import { route } from './fake-provider-http';
import {
  type FakeHook,
  type FakeProject,
  type FakeStatus,
  finished,
  type GitLabState,
  notFound,
  now,
} from './fake-gitlab-state';

const states = ['pending', 'running', 'success', 'failed', 'canceled', 'skipped'];

/** `POST statuses/:sha` with GitLab's state machine, and `GET/POST/PUT hooks`. */
export function commitRoutes(state: GitLabState): Route[] {
  return [
    route(
      'POST',
      '/projects/:id/statuses/:sha',
      state.withProject('write', (req, project) => postStatus(state, req, project)),
    ),
    route(
      'GET',
      '/projects/:id/hooks',
      state.withProject('write', (_req, project) => ({ status: 200, body: project.hooks.map(hookJson) })),
    ),
    route(
      'POST',
      '/projects/:id/hooks',
      state.withProject('write', (req, project) => {
        if (!req.body.url) return { status: 400, body: { error: 'url is missing' } };
        const hook: FakeHook = {
          ...hookFields(req.body),
          id: state.nextId(),
          url: String(req.body.url),
          created_at: now(),
        };
        project.hooks.push(hook);
        return { status: 201, body: hookJson(hook) };
      }),
    ),
    route(
      'PUT',
      '/projects/:id/hooks/:hook_id',
      state.withProject('write', (req, project) => {
        const hook = project.hooks.find((h) => String(h.id) === req.params.hook_id);
        if (!hook) return notFound('Hook');
        Object.assign(hook, hookFields(req.body), { url: String(req.body.url ?? hook.url) });
        return { status: 200, body: hookJson(hook) };
      }),
    ),
  ];
}

function postStatus(state: GitLabState, req: FakeRequest, project: FakeProject): FakeResponse {
  const input = { ...Object.fromEntries(req.query), ...req.body } as Record<string, string | number | undefined>;
  const status = String(input.state ?? '');
  if (!states.includes(status)) return { status: 400, body: { error: 'state does not have a valid value' } };
  const name = String(input.name ?? input.context ?? 'default');
  const sha = req.params.sha!;
  // Without pipeline_id GitLab picks the newest pipeline of sha (+ref), or creates an external one.
  const pipeline =
    project.pipelines.find((p) => String(p.id) === String(input.pipeline_id ?? '')) ??
    project.pipelines.find((p) => p.sha === sha && (!input.ref || p.ref === input.ref)) ??
    state.addPipeline(project.id, { ref: String(input.ref ?? 'main'), sha, status: 'pending', source: 'external' });
  const latest = project.statuses.findLast((s) => s.sha === sha && s.name === name && s.pipelineId === pipeline.id);
  // GitLab's state machine refuses moving a live status to the state it already has (e.g. :enqueue from :pending).
  if (latest && latest.status === status && !finished.has(status)) {
    const event = status === 'pending' ? 'enqueue' : 'run';
    const message = `Cannot transition status via :${event} from :${status} (Reason(s): Status cannot transition via "${event}")`;
    return { status: 400, body: { message } };
  }
  const row: FakeStatus = {
    id: state.nextId(),
    sha,
    name,
    status,
    targetUrl: (input.target_url as string) ?? null,
    description: (input.description as string) ?? null,
    ref: (input.ref as string) ?? pipeline.ref,
    pipelineId: pipeline.id,
  };
  project.statuses.push(row);
  const { targetUrl, pipelineId, ...rest } = row;
  return {
    status: 201,
    body: { ...rest, target_url: targetUrl, created_at: now(), allow_failure: false, pipeline_id: pipelineId },
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
