import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import { services } from '../db/schema';
import { createCloneActivities } from './clone';
import { detectProject } from './detect';
import type { DetectionResult } from './detect';
import { BuildErrorType, buildFailure } from './errors';
import { cloneProviderFor } from './git-command';
import { loadProviderConnection } from './providers/connection';

export interface DetectServiceDeps {
  db: Database;
  cipher: SecretCipher;
  workspaceRoot: string;
}

/** What "Detect Services" shows, with the commit it looked at. */
export interface ServiceDetection extends DetectionResult {
  ref: string;
  sha: string;
}

/** The activity behind `POST /services/:id/detect`: clone the branch head, detect, clean up. */
export function createDetectServiceActivities({ db, cipher, workspaceRoot }: DetectServiceDeps) {
  const git = createCloneActivities({ workspaceRoot });
  return {
    /** Detects what the service's repository is at the head of `branch` (default: the service's default branch). */
    async detectService(input: { serviceId: string; branch?: string }): Promise<ServiceDetection> {
      const [service] = await db.select().from(services).where(eq(services.id, input.serviceId));
      if (!service)
        throw buildFailure(BuildErrorType.ConfigurationError, `Service ${input.serviceId} no longer exists.`);
      const connection = await loadProviderConnection(db, cipher, service);
      const token = connection.ok ? connection.connection.token : undefined;
      const provider = cloneProviderFor(service.gitProvider, connection.ok ? connection.connection : null);
      const ref = `refs/heads/${input.branch ?? service.defaultBranch}`;
      const sha = await git.resolveCommit({ repositoryUrl: service.repoUrl, ref, token, provider });
      const workspace = `detect-${randomUUID()}`;
      try {
        const checkout = await git.cloneRepository({
          buildId: workspace,
          repositoryUrl: service.repoUrl,
          sha,
          ref,
          token,
          provider,
        });
        return { ...(await detectProject(checkout.dir)), ref, sha };
      } finally {
        await git.removeWorkspace(workspace);
      }
    },
  };
}

export type DetectServiceActivities = ReturnType<typeof createDetectServiceActivities>;
