import { asc, eq } from 'drizzle-orm';
import { noConnectionMessage, originOf, resolveCredential } from '../domain/credentials';
import type { Database } from './client';
import type { SecretCipher } from './crypto';
import { gitProviders } from './schema';

type ConnectionRow = typeof gitProviders.$inferSelect;

/** What a repository URL may be sent with: the matching connection's token, or nothing and why. */
export type GitCredential =
  | { found: true; origin: string; connection: ConnectionRow; token: string }
  | { found: false; origin: string | null; reason: 'no-connection' | 'no-token'; message: string };

/** The service fields that decide the credential. */
export interface CredentialTarget {
  organizationId: string;
  gitProvider: 'gitlab' | 'github';
  repoUrl: string;
}

/**
 * Loads the organization's connections and asks `domain/credentials` which one is for the repository's exact
 * origin. No match, or a connection whose token was cleared by a URL change, means no credential at all.
 */
export async function loadGitCredential(
  db: Database,
  cipher: SecretCipher,
  target: CredentialTarget,
): Promise<GitCredential> {
  const rows = await db
    .select()
    .from(gitProviders)
    .where(eq(gitProviders.organizationId, target.organizationId))
    .orderBy(asc(gitProviders.createdAt));
  const origin = originOf(target.repoUrl);
  const connection = resolveCredential(rows, target.repoUrl, target.gitProvider);
  if (!connection)
    return { found: false, origin, reason: 'no-connection', message: noConnectionMessage(target.repoUrl) };
  if (connection.tokenEnc === '') {
    return {
      found: false,
      origin,
      reason: 'no-token',
      message: `The Git connection for ${origin} has no token since its URL changed; an organization admin enters it again in organization settings (Git providers). Cloning without credentials.`,
    };
  }
  return { found: true, origin: origin!, connection, token: cipher.decrypt(connection.tokenEnc) };
}
