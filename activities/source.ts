import { existsSync } from 'node:fs';
import { heartbeat } from '@temporalio/activity';
import { loadBuildForWorkflow, recordCommitDetails, updateBuildProgress } from '../db/builds';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import { openBuildLog } from '../build-log/build-log';
import { createCloneActivities } from './clone';
import { detectProject } from '../detect';
import { cloneProviderFor } from '../git/git-command';
import { plainGitMessage } from '../clients/git-providers/connection';
import type { DetectionResult } from '../detect';

/** What fetching a build's commit needs: the database, the token cipher and a workspace folder. */
export interface SourceDeps {
  db: Database;
  cipher: SecretCipher;
  /** Parent folder of the per-build checkouts. */
  workspaceRoot: string;
}

/** Activities that fetch a build's commit and find out what it is. */
export function createSourceActivities({ db, cipher, workspaceRoot }: SourceDeps) {
  const git = createCloneActivities({
    workspaceRoot,
    openLog: (buildId) => openBuildLog(db, buildId, 'clone'),
  });

  /** Clones exactly the build's commit (a manual build's branch is resolved to one first). */
  async function checkout(buildId: string): Promise<{ checkoutDir: string; sha: string }> {
    const loaded = await loadBuildForWorkflow(db, cipher, buildId);
    const { build, service } = loaded;
    const token = loaded.git?.token;
    const provider = cloneProviderFor(service.gitProvider, loaded.git);
    let sha = build.sha;
    // A sha a person typed (manual trigger, or a retry of one) must be on the branch; a resolved head always is.
    const requireOnRef = build.event === 'manual' && sha != null;
    if (!sha) {
      sha = await git.resolveCommit({ repositoryUrl: service.repoUrl, ref: build.ref, token, provider });
      await updateBuildProgress(db, buildId, { sha });
    }
    heartbeat();
    const submodules = loaded.autoCi.submodules;
    const result = await git.cloneRepository({
      buildId,
      repositoryUrl: service.repoUrl,
      sha,
      ref: build.ref,
      token,
      provider,
      // Said once per build, here: the status reports after it skip the server quietly.
      notice: loaded.gitNotice ?? (provider === 'plain' ? plainGitMessage(loaded.git!.baseUrl, 'commit-status') : null),
      submodules,
      requireOnRef,
    });
    await recordCommitDetails(db, buildId, result.commit);
    return { checkoutDir: result.dir, sha: result.sha };
  }

  return {
    /** The Clone step. */
    async cloneSource({ buildId }: { buildId: string }): Promise<{ checkoutDir: string; sha: string }> {
      return checkout(buildId);
    },

    /**
     * The Detect step: language, framework, package manager, Dockerfile and monorepo sub-projects. On a worker
     * that did not run the clone (several workers share the queue) it clones first.
     */
    async detectSource(input: { buildId: string; checkoutDir: string }): Promise<DetectionResult> {
      const dir = existsSync(input.checkoutDir) ? input.checkoutDir : (await checkout(input.buildId)).checkoutDir;
      return detectProject(dir);
    },

    /** Deletes the build's checkout once the build is over. */
    async removeWorkspace({ buildId }: { buildId: string }): Promise<void> {
      await git.removeWorkspace(buildId);
    },
  };
}

export type SourceActivities = ReturnType<typeof createSourceActivities>;
