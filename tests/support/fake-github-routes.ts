/** The fake GitHub's endpoints: `/user`, `/repos/{o}/{r}`, commit statuses and repository hooks. */
import { type FakeRequest, type FakeResponse, type Route, route } from './fake-provider-http';
import type { FakeGitHubHook, FakeGitHubStatus, FakeGitHubToken, FakeRepo } from './fake-github';

/** Repository webhook events (docs: "Webhook events and payloads"); `*` subscribes to all of them. */
const knownHookEvents = new Set([
  '*',
  'check_run',
  'check_suite',
  'create',
  'delete',
  'deployment',
  'deployment_status',
  'issue_comment',
  'issues',
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'pull_request_review_thread',
  'push',
  'release',
  'repository',
  'status',
  'workflow_run',
]);

export const docs = 'https://docs.github.com/rest';

/** What the routes read and change. */
export interface GitHubState {
  tokens: Map<string, FakeGitHubToken>;
  repos: Map<string, FakeRepo>;
  nextId(): number;
}

type Permission = 'statuses' | 'hooks' | 'contents';

/** Routes answering 401 (no/bad token), 404 (repository the token cannot see) and 403 (missing scope) like GitHub. */
export function githubRoutes(state: GitHubState): Route[] {
  const { tokens, repos } = state;
  const now = () => new Date().toISOString();
  const auth = (req: FakeRequest): FakeResponse | FakeGitHubToken => {
    const match = /^(?:token|Bearer) (.+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return { status: 401, body: { message: 'Requires authentication', documentation_url: docs } };
    return tokens.get(match[1]!) ?? { status: 401, body: { message: 'Bad credentials', documentation_url: docs } };
  };
  const can = (token: FakeGitHubToken, permission: Permission, level: 'read' | 'write') => {
    if (token.scopes) {
      const classic = {
        statuses: ['repo', 'repo:status'],
        hooks: ['repo', 'admin:repo_hook', 'write:repo_hook'],
        contents: ['repo'],
      };
      return token.scopes.some((s) => classic[permission].includes(s));
    }
    const granted = token.permissions?.[permission === 'hooks' ? 'administration' : permission];
    return granted === 'write' || (level === 'read' && granted === 'read');
  };
  const withRepo =
    (
      permission: Permission,
      level: 'read' | 'write',
      fn: (req: FakeRequest, repo: FakeRepo, token: FakeGitHubToken) => FakeResponse,
    ) =>
    (req: FakeRequest): FakeResponse => {
      const token = auth(req);
      if ('status' in token) return token;
      const repo = repos.get(`${req.params.owner}/${req.params.repo}`.toLowerCase());
      // GitHub answers 404, not 403, for private repositories the token cannot see.
      if (!repo) return { status: 404, body: { message: 'Not Found', documentation_url: docs } };
      if (!can(token, permission, level)) {
        return {
          status: 403,
          body: { message: 'Resource not accessible by personal access token', documentation_url: docs },
        };
      }
      return fn(req, repo, token);
    };
  const hookFrom = (body: Record<string, unknown>, existing?: FakeGitHubHook): FakeGitHubHook => {
    const config = (body.config ?? {}) as Record<string, string>;
    return {
      id: existing?.id ?? state.nextId(),
      name: 'web',
      active: (body.active as boolean | undefined) ?? existing?.active ?? true,
      events: (body.events as string[] | undefined) ?? existing?.events ?? ['push'],
      config: {
        url: config.url ?? existing?.config.url ?? '',
        content_type: config.content_type ?? existing?.config.content_type ?? 'form',
        insecure_ssl: String(config.insecure_ssl ?? existing?.config.insecure_ssl ?? '0'),
        secret: config.secret ?? existing?.config.secret,
      },
      created_at: existing?.created_at ?? now(),
      updated_at: now(),
    };
  };
  // GitHub refuses event names it does not know (422), so a misspelt subscription fails here as it would there.
  const invalidEvents = (hook: FakeGitHubHook) => {
    const unknown = hook.events.filter((event) => !knownHookEvents.has(event));
    if (unknown.length === 0) return undefined;
    return {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'Hook', code: 'custom', message: `${unknown.join(', ')} is not a valid event name` }],
        documentation_url: docs,
      },
    };
  };
  // GitHub masks secrets when listing hooks.
  const hookJson = (hook: FakeGitHubHook) => ({
    ...hook,
    type: 'Repository',
    config: { ...hook.config, secret: hook.config.secret ? '********' : undefined },
  });

  return [
    route('GET', '/user', (req) => {
      const token = auth(req);
      if ('status' in token) return token;
      const headers: Record<string, string> = token.scopes
        ? { 'x-oauth-scopes': token.scopes.join(', '), 'x-accepted-oauth-scopes': '' }
        : {};
      return { status: 200, body: { login: token.login, id: 99, type: 'User' }, headers };
    }),
    route(
      'GET',
      '/repos/:owner/:repo',
      withRepo('contents', 'read', (_req, repo, token) => ({
        status: 200,
        body: {
          id: repo.id,
          full_name: repo.fullName,
          private: true,
          default_branch: 'main',
          permissions: { admin: can(token, 'hooks', 'write'), push: can(token, 'contents', 'write'), pull: true },
        },
      })),
    ),
    route(
      'POST',
      '/repos/:owner/:repo/statuses/:sha',
      withRepo('statuses', 'write', (req, repo) => {
        const wanted = String(req.body.state ?? '');
        if (!['pending', 'success', 'failure', 'error'].includes(wanted)) {
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [
                { resource: 'Status', field: 'state', code: 'custom', message: `state is not included in the list` },
              ],
              documentation_url: docs,
            },
          };
        }
        const description = (req.body.description as string | undefined) ?? null;
        if (description && description.length > 140) {
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [
                {
                  resource: 'Status',
                  field: 'description',
                  code: 'custom',
                  message: 'description is too long (maximum is 140 characters)',
                },
              ],
            },
          };
        }
        const status: FakeGitHubStatus = {
          id: state.nextId(),
          sha: req.params.sha!,
          state: wanted,
          context: (req.body.context as string | undefined) ?? 'default',
          target_url: (req.body.target_url as string | undefined) ?? null,
          description,
        };
        repo.statuses.push(status);
        return {
          status: 201,
          body: {
            ...status,
            url: `/repos/${repo.fullName}/statuses/${status.sha}`,
            created_at: now(),
            updated_at: now(),
          },
        };
      }),
    ),
    route(
      'GET',
      '/repos/:owner/:repo/hooks',
      withRepo('hooks', 'read', (_req, repo) => ({ status: 200, body: repo.hooks.map(hookJson) })),
    ),
    route(
      'POST',
      '/repos/:owner/:repo/hooks',
      withRepo('hooks', 'write', (req, repo) => {
        const hook = hookFrom(req.body);
        const invalid = invalidEvents(hook);
        if (invalid) return invalid;
        if (repo.hooks.some((h) => h.config.url === hook.config.url && h.events.join() === hook.events.join())) {
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [{ resource: 'Hook', code: 'custom', message: 'Hook already exists on this repository' }],
            },
          };
        }
        repo.hooks.push(hook);
        return { status: 201, body: hookJson(hook) };
      }),
    ),
    route(
      'PATCH',
      '/repos/:owner/:repo/hooks/:hook_id',
      withRepo('hooks', 'write', (req, repo) => {
        const index = repo.hooks.findIndex((h) => String(h.id) === req.params.hook_id);
        if (index < 0) return { status: 404, body: { message: 'Not Found', documentation_url: docs } };
        const hook = hookFrom(req.body, repo.hooks[index]);
        const invalid = invalidEvents(hook);
        if (invalid) return invalid;
        repo.hooks[index] = hook;
        return { status: 200, body: hookJson(repo.hooks[index]!) };
      }),
    ),
  ];
}
