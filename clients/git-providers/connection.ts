import type { Database } from '../../db/client';
import type { SecretCipher } from '../../db/crypto';
import { loadGitCredential } from '../../db/git-credentials';
import type { ProviderKind } from './errors';

/** The service fields needed to reach its repository at the provider. */
export interface ServiceRef {
  organizationId: string;
  gitProvider: ProviderKind;
  repoUrl: string;
  projectPath: string;
  projectId: string | null;
}

/** A service's repository plus the organization token that may act on it. */
export interface ProviderConnection {
  kind: ProviderKind;
  baseUrl: string;
  token: string;
  /** What to pass as the project: GitLab's numeric id when known, else the path; GitHub's `owner/repo`. */
  project: string;
  projectPath: string;
  /** False for a plain git server: the token clones, but there is no GitLab/GitHub API to post or read anything. */
  providerApi: boolean;
}

/** Why a connection could not be made, in words an admin can act on. */
export type ConnectionResult = { ok: true; connection: ProviderConnection } | { ok: false; message: string };

const names: Record<ProviderKind, string> = { gitlab: 'GitLab', github: 'GitHub' };

/** What Kiln leaves out on a plain git server (a connection with `providerApi: false`). */
const plainGitSkips = {
  'commit-status': 'Kiln posts no commit statuses there',
  pipelines: 'it has no pipelines to show (Kiln builds its pushes from the webhook)',
  webhook:
    'Kiln cannot register its webhook there: add it in the server by hand with the URL and secret shown in this tab',
  'change-request': 'Kiln cannot open a merge or pull request there: commit the files yourself',
} as const;

/** "<origin> is a plain git server: Kiln posts no commit statuses there." and the like, for logs and answers. */
export function plainGitMessage(baseUrl: string, skipped: keyof typeof plainGitSkips): string {
  return `${baseUrl} is a plain git server (no GitLab/GitHub API): ${plainGitSkips[skipped]}.`;
}

/**
 * The organization's token for the service's repository: only a connection on the repository's exact origin
 * (scheme, host, port) qualifies; without one nothing is sent anywhere (commit statuses, pipelines, webhooks).
 */
export async function loadProviderConnection(
  db: Database,
  cipher: SecretCipher,
  service: ServiceRef,
): Promise<ConnectionResult> {
  const credential = await loadGitCredential(db, cipher, service);
  const name = names[service.gitProvider];
  if (!credential.found) {
    const where = credential.origin ?? 'this repository';
    return {
      ok: false,
      message:
        credential.reason === 'no-token'
          ? `The ${name} connection for ${where} has no token since its URL changed: an organization admin enters it again in organization settings (Git providers).`
          : `No ${name} token is registered for ${where}: an organization admin registers one for exactly this address (scheme, host and port) in organization settings (Git providers).`,
    };
  }
  const project = service.gitProvider === 'gitlab' ? (service.projectId ?? service.projectPath) : service.projectPath;
  return {
    ok: true,
    connection: {
      kind: service.gitProvider,
      baseUrl: credential.connection.baseUrl,
      token: credential.token,
      project,
      projectPath: service.projectPath,
      providerApi: credential.connection.providerApi,
    },
  };
}
