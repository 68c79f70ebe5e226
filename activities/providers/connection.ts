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
}

/** Why a connection could not be made, in words an admin can act on. */
export type ConnectionResult = { ok: true; connection: ProviderConnection } | { ok: false; message: string };

const names: Record<ProviderKind, string> = { gitlab: 'GitLab', github: 'GitHub' };

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
    },
  };
}
