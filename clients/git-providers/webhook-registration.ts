import type { ProviderConnection } from './connection';
import { createGitHubClient } from './github';
import type { GitHubHook } from './github-hooks';
import { createGitLabClient } from './gitlab';
import type { GitLabHook, GitLabHookInput } from './gitlab-hooks';

/** What to register in the GitLab project or GitHub repository. */
export interface RegisterWebhookInput {
  connection: ProviderConnection;
  /** Kiln's webhook URL for the provider (links.ts `webhookUrl`). */
  url: string;
  /** The service's webhook secret, sent as GitLab's secret token / GitHub's signing secret. */
  secret: string;
  /**
   * Re-send the settings even when a matching hook exists. Providers never return the secret, so after rotating
   * it only `force` brings the hook up to date.
   */
  force?: boolean;
}

/** What registering the Kiln webhook did, and with which events. */
export interface RegisterWebhookResult {
  hookId: number;
  /** `unchanged` when a matching hook already existed: a second click changes nothing. */
  outcome: 'created' | 'updated' | 'unchanged';
  url: string;
  events: string[];
}

// The same events api/services/webhook-info.routes.ts tells users to tick by hand.
const gitlabEvents = ['push_events', 'tag_push_events', 'merge_requests_events'] as const;
// Pull requests build `refs/pull/<n>/head`; a hook registered before that (push only) is updated on the next click.
const githubEvents = ['push', 'pull_request'];

/** Creates Kiln's webhook in the project/repository, or leaves a matching one alone (idempotent). */
export async function registerWebhook(input: RegisterWebhookInput): Promise<RegisterWebhookResult> {
  return input.connection.kind === 'gitlab' ? registerGitLab(input) : registerGitHub(input);
}

async function registerGitLab({
  connection,
  url,
  secret,
  force,
}: RegisterWebhookInput): Promise<RegisterWebhookResult> {
  const client = createGitLabClient({ baseUrl: connection.baseUrl, token: connection.token, timeoutMs: 15_000 });
  const wanted: GitLabHookInput = {
    url,
    token: secret,
    pushEvents: true,
    tagPushEvents: true,
    mergeRequestsEvents: true,
    enableSslVerification: url.startsWith('https:'),
  };
  const events = gitlabEvents.map((e) => e.replace(/_events$/, ''));
  const existing = (await client.listHooks(connection.project)).find((hook) => hook.url === url);
  if (!existing) {
    const hook = await client.addHook(connection.project, wanted);
    return { hookId: hook.id, outcome: 'created', url, events };
  }
  if (!force && gitlabHookMatches(existing, wanted)) return { hookId: existing.id, outcome: 'unchanged', url, events };
  await client.editHook(connection.project, existing.id, wanted);
  return { hookId: existing.id, outcome: 'updated', url, events };
}

function gitlabHookMatches(hook: GitLabHook, wanted: GitLabHookInput): boolean {
  return (
    hook.push_events === wanted.pushEvents &&
    hook.tag_push_events === wanted.tagPushEvents &&
    hook.merge_requests_events === wanted.mergeRequestsEvents &&
    hook.enable_ssl_verification === wanted.enableSslVerification
  );
}

async function registerGitHub({
  connection,
  url,
  secret,
  force,
}: RegisterWebhookInput): Promise<RegisterWebhookResult> {
  const client = createGitHubClient({ baseUrl: connection.baseUrl, token: connection.token, timeoutMs: 15_000 });
  const wanted = { url, secret, events: githubEvents, insecureSsl: false };
  const existing = (await client.listHooks(connection.projectPath)).find((hook) => hook.config.url === url);
  if (!existing) {
    const hook = await client.createHook(connection.projectPath, wanted);
    return { hookId: hook.id, outcome: 'created', url, events: githubEvents };
  }
  if (!force && githubHookMatches(existing))
    return { hookId: existing.id, outcome: 'unchanged', url, events: githubEvents };
  await client.updateHook(connection.projectPath, existing.id, wanted);
  return { hookId: existing.id, outcome: 'updated', url, events: githubEvents };
}

function githubHookMatches(hook: GitHubHook): boolean {
  const events = [...hook.events].sort().join();
  return hook.active && events === [...githubEvents].sort().join() && hook.config.content_type === 'json';
}
