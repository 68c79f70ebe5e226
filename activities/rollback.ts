import { ApplicationFailure } from '@temporalio/common';
import { and, desc, eq, isNotNull, isNull, notInArray } from 'drizzle-orm';
import { clusterAccess } from '../clients/kubernetes/cluster-access';
import { getDeploymentStatus } from '../clients/kubernetes/deploy';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import { builds, clusters, services } from '../db/schema';
import { deployNamespaceOf } from '../domain/deploy-namespace';
import { untrustedChangeEvents } from '../domain/merge-request';
import { RollbackRefused } from '../domain/rollback';

/** What the rollback activities are built from, once per worker. */
export interface RollbackDeps {
  db: Database;
  cipher: SecretCipher;
}

/** The build a rollback deploys again, and what it replaces. */
export interface RollbackTarget {
  buildId: string;
  /** The image running before the rollback (`host/repo@sha256:…`), or undefined when nothing is deployed. */
  replacing?: string;
}

/** Choosing what a rollback deploys; the redeploy itself is `redeployBuild` in deploy-build.ts. */
export function createRollbackActivities({ db, cipher }: RollbackDeps) {
  return {
    /**
     * The newest successful, deployable build (never a merge or pull request's) whose digest differs from the one
     * running now. No cluster or no such build is a RollbackRefused failure, never retried.
     */
    async chooseRollbackTarget({ serviceId }: { serviceId: string }): Promise<RollbackTarget> {
      const [row] = await db
        .select({ service: services, cluster: clusters })
        .from(services)
        .leftJoin(clusters, eq(clusters.id, services.clusterId))
        .where(eq(services.id, serviceId));
      if (!row) throw refused(`Service ${serviceId} no longer exists.`);
      const { service, cluster } = row;
      if (!cluster) throw refused('The service has no cluster, so nothing was deployed to roll back.');
      const candidates = (await deployableBuilds(db, serviceId)).filter((build) => build.images[0]);
      if (candidates.length === 0) throw refused(noEarlierBuild);
      // Read failures are thrown, not guessed around: a misread would roll back to the image already running.
      const namespace = deployNamespaceOf(service);
      const running = await getDeploymentStatus({
        kubeconfig: clusterAccess(
          { ...cluster, kubeconfig: cluster.kubeconfigEnc ? cipher.decrypt(cluster.kubeconfigEnc) : null },
          namespace,
        ),
        namespace,
        serviceName: service.name,
      });
      const runningDigest = running.image?.split('@')[1];
      const target = candidates.find((build) => build.digest !== runningDigest);
      if (!target) throw refused(noEarlierBuild);
      return { buildId: target.id, replacing: running.image };
    },
  };
}

export type RollbackActivities = ReturnType<typeof createRollbackActivities>;

const noEarlierBuild = 'No earlier successful build with a different image exists to roll back to.';

function refused(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, RollbackRefused);
}

/** The service's newest successful builds that may be deployed again (never a merge or pull request's). */
async function deployableBuilds(db: Database, serviceId: string) {
  return db
    .select()
    .from(builds)
    .where(
      and(
        eq(builds.serviceId, serviceId),
        eq(builds.status, 'Succeeded'),
        isNotNull(builds.digest),
        isNull(builds.parentBuildId),
        // Merge and pull request images are unmerged code: a rollback never deploys one.
        isNull(builds.mergeRequestIid),
        isNull(builds.pullRequestNumber),
        notInArray(builds.event, [...untrustedChangeEvents]),
      ),
    )
    .orderBy(desc(builds.finishedAt))
    .limit(20);
}
