import { Context } from '@temporalio/activity';
import { lastBuildLogSeq } from '../db/build-logs';
import { loadBuildForWorkflow } from '../db/builds';
import type { BuildForWorkflow } from '../db/builds';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import { isUntrustedChange } from '../domain/merge-request';
import { logParts, openBuildLog } from '../build-log/build-log';
import { createBuildLogSink } from '../build-log/build-log-sink';
import type { LogSink } from '../build-log/log-sink';
import { clusterAccess } from '../clients/kubernetes/cluster-access';
import { deployService } from '../clients/kubernetes/deploy';
import { pinnedImage } from '../clients/kubernetes/deploy-manifests';
import { ensureImagePullSecret } from '../clients/kubernetes/pull-secret';
import { requireRegistryPassword } from '../clients/registry';
import { BuildErrorType, buildFailure } from '../domain/build-error';

/** What the deploy activities are built from, once per worker. */
export interface DeployDeps {
  db: Database;
  cipher: SecretCipher;
}

/** What a rollback deploys again: a build chosen by `chooseRollbackTarget`, on behalf of a user. */
export interface RedeployInput {
  buildId: string;
  /** Who asked, for the build log. */
  requestedBy: string;
  /** The image running before, when Kiln could read it, for the build log. */
  replacing?: string;
}

/** What a rollout left running. */
export interface RolloutResult {
  /** The digest-pinned image now running. */
  image: string;
  namespace: string;
  availableReplicas: number;
}

/**
 * Rollback lines go after every part of the build's own log (build-log/build-log.ts `logParts`, each part a
 * million seqs) and after earlier rollbacks, so they never collide with the build's deploy lines.
 */
const firstRollbackSeq = (logParts.finish + 1) * 1_000_000;

/**
 * The Deploy step and a rollback's redeploy, one path: refresh the image-pull Secret, roll the service's
 * Deployment to the digest-pinned image, wait for the rollout, heartbeat meanwhile.
 */
export function createDeployActivities({ db, cipher }: DeployDeps) {
  return {
    /** Deploys the build's image pinned by `digest` and waits for the rollout. */
    async deployBuild({ buildId, digest }: { buildId: string; digest: string }): Promise<void> {
      const loaded = await loadBuildForWorkflow(db, cipher, buildId);
      const log = openBuildLog(db, buildId, 'deploy', loaded.secrets);
      try {
        await rollOut(loaded, digest, log);
      } finally {
        await log.close();
      }
    },

    /**
     * Deploys an earlier build's image again (a rollback), written on that build's log after everything already
     * there: who asked, the deploy lines, and each failed attempt's reason.
     */
    async redeployBuild({ buildId, requestedBy, replacing }: RedeployInput): Promise<RolloutResult> {
      const loaded = await loadBuildForWorkflow(db, cipher, buildId);
      const { digest } = loaded.build;
      if (!digest) throw buildFailure(BuildErrorType.ConfigurationError, `Build ${buildId} pushed no image digest.`);
      const startSeq = Math.max((await lastBuildLogSeq(db, buildId)) + 1, firstRollbackSeq);
      const log = createBuildLogSink({ db, buildId, startSeq, secrets: loaded.secrets });
      log.write('system', `Rollback requested by ${requestedBy}${replacing ? `, replacing ${replacing}` : ''}`);
      try {
        return await rollOut(loaded, digest, log);
      } catch (error) {
        const attempt = Context.current().info.attempt;
        log.write('system', `Rollback failed (attempt ${attempt}): ${(error as Error).message}`);
        throw error;
      } finally {
        await log.close();
      }
    },
  };
}

/** Refreshes the pull Secret and rolls the Deployment to `digest`, heartbeating until the rollout is done. */
async function rollOut(loaded: BuildForWorkflow, digest: string, log: LogSink): Promise<RolloutResult> {
  const { build, service } = loaded;
  const { cluster, registry, image } = deployable(loaded);
  const access = clusterAccess(cluster, service.deployNamespace);
  const name = build.subproject ? `${service.name}-${build.subproject}` : service.name;
  const ctx = Context.current();
  const beat = setInterval(() => ctx.heartbeat(), 5000);
  try {
    log.write(
      'system',
      `Deploying ${pinnedImage(image, digest)} to namespace ${service.deployNamespace} on ${cluster.name}`,
    );
    await ensureImagePullSecret({
      kubeconfig: access,
      namespace: service.deployNamespace,
      // The Deployment references `<its name>-registry-cred`, so each deployed sub-project gets its own copy.
      serviceName: name,
      registry: {
        host: registry.host,
        username: registry.username,
        password: registry.password,
        insecure: registry.insecure,
      },
      createNamespace: true,
    });
    const result = await deployService({
      kubeconfig: access,
      namespace: service.deployNamespace,
      serviceName: name,
      image,
      digest,
      buildId: build.id,
      port: service.deployPort ?? undefined,
      signal: ctx.cancellationSignal,
    });
    log.write(
      'system',
      `Deployment ${result.deployment} ${result.action}: ${result.availableReplicas} replica(s) available`,
    );
    return { image: result.image, namespace: result.namespace, availableReplicas: result.availableReplicas };
  } finally {
    clearInterval(beat);
  }
}

/** What a deploy needs, or the ConfigurationError saying what is missing; unmerged changes are never deployed. */
function deployable({ build, service, cluster, registry }: BuildForWorkflow) {
  if (!cluster || !registry) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      `Service ${service.name} needs a registry and a cluster to deploy.`,
    );
  }
  requireRegistryPassword(registry);
  if (isUntrustedChange(build)) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      'Merge request and pull request builds are never deployed: merge the change and deploy the build of the target branch.',
    );
  }
  const image = build.images[0];
  if (!image) throw buildFailure(BuildErrorType.ConfigurationError, 'The build pushed no image to deploy.');
  return { cluster, registry, image };
}

export type DeployActivities = ReturnType<typeof createDeployActivities>;
