import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import { services } from '../db/schema';
import { createCloneActivities } from './clone';
import { cloneProviderFor } from '../git/git-command';
import { loadProviderConnection } from '../clients/git-providers/connection';
import { BuildErrorType, buildFailure } from '../domain/build-error';

/** The database, the cipher for the service's token and where scratch checkouts go. */
export interface ServiceCheckoutDeps {
  db: Database;
  cipher: SecretCipher;
  workspaceRoot: string;
}

type ServiceRow = typeof services.$inferSelect;

/** A scratch checkout of a service's branch head, outside any build. */
export interface ServiceCheckout {
  service: ServiceRow;
  dir: string;
  ref: string;
  sha: string;
}

/**
 * Checks out the head of a service's branch (default: its default branch) into a throwaway workspace, with the
 * credential for the repository's origin only, runs `use` on it and removes the workspace whatever happens. Used
 * by Detect Services and the Build Wizard, which look at a repository without building it.
 */
export function createServiceCheckout({ db, cipher, workspaceRoot }: ServiceCheckoutDeps) {
  const git = createCloneActivities({ workspaceRoot });
  return async function withServiceCheckout<T>(
    input: { serviceId: string; branch?: string; purpose: string },
    use: (checkout: ServiceCheckout) => Promise<T>,
  ): Promise<T> {
    const service = await loadService(db, input.serviceId);
    const connection = await loadProviderConnection(db, cipher, service);
    const token = connection.ok ? connection.connection.token : undefined;
    const provider = cloneProviderFor(service.gitProvider, connection.ok ? connection.connection : null);
    const ref = `refs/heads/${input.branch ?? service.defaultBranch}`;
    const sha = await git.resolveCommit({ repositoryUrl: service.repoUrl, ref, token, provider });
    const workspace = `${input.purpose}-${randomUUID()}`;
    try {
      const checkout = await git.cloneRepository({
        buildId: workspace,
        repositoryUrl: service.repoUrl,
        sha,
        ref,
        token,
        provider,
      });
      return await use({ service, dir: checkout.dir, ref, sha });
    } finally {
      await git.removeWorkspace(workspace);
    }
  };
}

/** The service row, or a permanent failure when it was deleted meanwhile. */
export async function loadService(db: Database, id: string): Promise<ServiceRow> {
  const [service] = await db.select().from(services).where(eq(services.id, id));
  if (!service) throw buildFailure(BuildErrorType.ConfigurationError, `Service ${id} no longer exists.`);
  return service;
}
