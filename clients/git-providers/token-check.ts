import { ProviderError, type ProviderKind } from './errors';
import { createGitHubClient } from './github';
import { createGitLabClient } from './gitlab';

/** A token an admin is about to register (or has registered) for an organization. */
export interface TokenCheckInput {
  kind: ProviderKind;
  baseUrl: string;
  token: string;
}

/** What Kiln learned about a working token. */
export interface TokenCheckResult {
  kind: ProviderKind;
  /** The account the token acts as (GitHub login; GitLab token name). */
  identity: string;
  tokenType: 'gitlab-access-token' | 'github-classic' | 'github-fine-grained';
  /** Null when the provider does not list them (GitHub fine-grained tokens). */
  scopes: string[] | null;
  expiresAt: string | null;
  /** Things that work now but limit Kiln (e.g. no one-click webhooks). */
  warnings: string[];
}

/** A token that answers but cannot do what Kiln needs; the message names the missing scope. */
export class TokenScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenScopeError';
  }
}

const DAY_MS = 86_400_000;

/**
 * Checks a provider token before it is stored: reachable, accepted, and with the scopes Kiln uses (GitLab `api`:
 * pipelines, commit statuses, webhooks and cloning; GitHub `repo`, or `repo:status` + `public_repo` for public
 * repositories only). Throws ProviderError (unreachable, 401, …) or TokenScopeError with a message to show.
 */
export async function checkProviderToken(input: TokenCheckInput, now = new Date()): Promise<TokenCheckResult> {
  return input.kind === 'gitlab' ? checkGitLab(input, now) : checkGitHub(input);
}

async function checkGitLab({ baseUrl, token }: TokenCheckInput, now: Date): Promise<TokenCheckResult> {
  const client = createGitLabClient({ baseUrl, token, timeoutMs: 15_000 });
  const info = await client.tokenInfo().catch((error: unknown) => {
    // GitLab answers 404 for OAuth tokens and on versions before 15.5: fall back to proving the token works.
    if (error instanceof ProviderError && error.kind === 'notFound') return null;
    throw error;
  });
  if (!info) {
    const user = await client.currentUser();
    return {
      kind: 'gitlab',
      identity: String(user.username ?? 'unknown'),
      tokenType: 'gitlab-access-token',
      scopes: null,
      expiresAt: null,
      warnings: ['GitLab did not list this token’s scopes; make sure it has the api scope.'],
    };
  }
  const scopes = (info.scopes as string[] | undefined) ?? [];
  if (info.active === false || info.revoked === true) {
    throw new TokenScopeError(
      'The GitLab token is revoked or expired: create a new one with the api scope and register it.',
    );
  }
  if (!scopes.includes('api')) {
    throw new TokenScopeError(
      `The GitLab token has scopes ${scopes.join(', ') || '(none)'} but Kiln needs api (pipelines, commit statuses, webhooks and cloning): create a token with the api scope.`,
    );
  }
  const expiresAt = (info.expires_at as string | null | undefined) ?? null;
  const warnings: string[] = [];
  if (expiresAt && new Date(expiresAt).getTime() - now.getTime() < 14 * DAY_MS) {
    warnings.push(`The GitLab token expires on ${expiresAt}; register a new one before then.`);
  }
  return {
    kind: 'gitlab',
    identity: String(info.name ?? 'token'),
    tokenType: 'gitlab-access-token',
    scopes,
    expiresAt,
    warnings,
  };
}

async function checkGitHub({ baseUrl, token }: TokenCheckInput): Promise<TokenCheckResult> {
  const { login, scopes } = await createGitHubClient({ baseUrl, token, timeoutMs: 15_000 }).tokenInfo();
  if (scopes === null) {
    return {
      kind: 'github',
      identity: login,
      tokenType: 'github-fine-grained',
      scopes: null,
      expiresAt: null,
      warnings: [
        'Fine-grained token: GitHub does not list its permissions. Give it Contents: read, Commit statuses: write and Webhooks: write on the repositories Kiln builds.',
      ],
    };
  }
  const has = (...wanted: string[]) => wanted.some((scope) => scopes.includes(scope));
  if (!has('repo', 'repo:status')) {
    throw new TokenScopeError(
      `The GitHub token has scopes ${scopes.join(', ') || '(none)'} but Kiln needs repo (or repo:status) to report build status: create a token with the repo scope.`,
    );
  }
  const warnings: string[] = [];
  if (!has('repo')) {
    if (!has('public_repo')) {
      throw new TokenScopeError(
        'The GitHub token cannot read repository contents: add the repo scope (or public_repo for public repositories).',
      );
    }
    warnings.push('Without the repo scope Kiln can only clone public repositories.');
  }
  if (!has('repo', 'admin:repo_hook', 'write:repo_hook')) {
    warnings.push(
      'Without repo or admin:repo_hook, one-click webhook registration is unavailable; paste the webhook by hand.',
    );
  }
  return { kind: 'github', identity: login, tokenType: 'github-classic', scopes, expiresAt: null, warnings };
}
