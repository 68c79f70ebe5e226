import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { SecretCipher } from '../../db/crypto';
import { gitProviders } from '../../db/schema';
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
 * Finds the organization's token for the service's provider. With several registered (e.g. gitlab.com and a
 * self-hosted GitLab), the one whose host matches the repository URL wins.
 */
export async function loadProviderConnection(
  db: Database,
  cipher: SecretCipher,
  service: ServiceRef,
): Promise<ConnectionResult> {
  const rows = await db
    .select()
    .from(gitProviders)
    .where(and(eq(gitProviders.organizationId, service.organizationId), eq(gitProviders.kind, service.gitProvider)));
  const repoHost = hostOf(service.repoUrl);
  const row = rows.find((r) => sameHost(hostOf(r.baseUrl), repoHost)) ?? (rows.length === 1 ? rows[0] : undefined);
  const name = names[service.gitProvider];
  if (!row) {
    return {
      ok: false,
      message: `No ${name} token is registered for ${repoHost ?? 'this repository'}: an admin registers one in organization settings (Git providers).`,
    };
  }
  const project = service.gitProvider === 'gitlab' ? (service.projectId ?? service.projectPath) : service.projectPath;
  return {
    ok: true,
    connection: {
      kind: service.gitProvider,
      baseUrl: row.baseUrl,
      token: cipher.decrypt(row.tokenEnc),
      project,
      projectPath: service.projectPath,
    },
  };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    // scp-like git URLs: git@host:group/project.git
    return /^[^@]+@([^:]+):/.exec(url)?.[1]?.toLowerCase();
  }
}

// github.com repositories are served by the api.github.com API.
function sameHost(providerHost: string | undefined, repoHost: string | undefined): boolean {
  if (!providerHost || !repoHost) return false;
  const strip = (host: string) => host.replace(/^api\./, '');
  return strip(providerHost) === strip(repoHost);
}
