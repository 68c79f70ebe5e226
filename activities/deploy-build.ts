import { Context } from '@temporalio/activity';
import { loadBuildForWorkflow } from '../db/builds';
import type { BuildForWorkflow } from '../db/builds';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import { isUntrustedChange } from '../domain/merge-request';
import { openBuildLog } from '../build-log/build-log';
import type { ClusterAccess } from '../clients/kubernetes/client';
import { deployService } from '../clients/kubernetes/deploy';
import { pinnedImage } from '../clients/kubernetes/deploy-manifests';
import { ensureImagePullSecret } from '../clients/kubernetes/pull-secret';
import { requireRegistryPassword } from '../clients/registry';
import { BuildErrorType, buildFailure } from '../domain/build-error';

export interface DeployDeps {
  db: Database;
  cipher: SecretCipher;
}

/** The cluster access of a service's runtime environment. */
export function clusterAccess(cluster: NonNullable<BuildForWorkflow['cluster']>): ClusterAccess {
  if (cluster.mode === 'in-cluster') return { inCluster: true };
  if (!cluster.kubeconfig) {
    throw buildFailure(
      BuildErrorType.ConfigurationError,
      `Cluster ${cluster.name} has no kubeconfig: add one in Runtime Environments.`,
    );
  }
  return { kubeconfig: cluster.kubeconfig, context: cluster.context };
}

/** The Deploy step: refreshes the image-pull Secret and rolls the service's Deployment to the pushed digest. */
export function createDeployActivities({ db, cipher }: DeployDeps) {
  return {
    /** Deploys the build's image pinned by `digest` and waits for the rollout. */
    async deployBuild({ buildId, digest }: { buildId: string; digest: string }): Promise<void> {
      const ctx = Context.current();
      const loaded = await loadBuildForWorkflow(db, cipher, buildId);
      const { build, service, cluster, registry } = loaded;
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
      const access = clusterAccess(cluster);
      const log = openBuildLog(db, buildId, 'deploy', loaded.secrets);
      const name = build.subproject ? `${service.name}-${build.subproject}` : service.name;
      const beat = setInterval(() => ctx.heartbeat(), 5000);
      try {
        log.write(
          'system',
          `Deploying ${pinnedImage(image, digest)} to namespace ${service.deployNamespace} on ${cluster.name}`,
        );
        const auth = {
          host: registry.host,
          username: registry.username,
          password: registry.password,
          insecure: registry.insecure,
        };
        await ensureImagePullSecret({
          kubeconfig: access,
          namespace: service.deployNamespace,
          // The Deployment references `<its name>-registry-cred`, so each deployed sub-project gets its own copy.
          serviceName: name,
          registry: auth,
          createNamespace: true,
        });
        const result = await deployService({
          kubeconfig: access,
          namespace: service.deployNamespace,
          serviceName: name,
          image,
          digest,
          buildId,
          port: service.deployPort ?? undefined,
          signal: ctx.cancellationSignal,
        });
        log.write(
          'system',
          `Deployment ${result.deployment} ${result.action}: ${result.availableReplicas} replica(s) available`,
        );
      } finally {
        clearInterval(beat);
        await log.close();
      }
    },
  };
}

export type DeployActivities = ReturnType<typeof createDeployActivities>;
