import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createBuildRecordActivities } from '../activities/build-records';
import { createBuildWizardActivities } from '../activities/build-wizard';
import type { BuilderDriver } from '../builders/builder';
import { createKubernetesBuilder } from '../builders/kubernetes';
import type { IsolationStatus } from '../builders/isolation';
import { createLocalBuilder } from '../builders/local';
import { createCommitStatusActivities } from '../activities/commit-status';
import { createDeployActivities } from '../activities/deploy-build';
import { createDetectServiceActivities } from '../activities/detect-service';
import { createImageBuildActivities } from '../activities/image-build';
import { createRollbackActivities } from '../activities/rollback';
import { createSourceActivities } from '../activities/source';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import type { WorkerEnv } from './env';

/** Everything the activities of one worker process share; built once at worker start. */
export interface ActivityDeps {
  db: Database;
  cipher: SecretCipher;
  temporal: Client;
  logger: Logger;
  env: WorkerEnv;
  /** Kiln's public URL, for links in commit statuses. */
  publicUrl: string;
}

/** The short activities of the build task queue: records, clone, detect, deploy and rollback, statuses. */
export function createBuildQueueActivities(deps: ActivityDeps) {
  const { db, cipher } = deps;
  const workspaceRoot = path.join(deps.env.KILN_DATA_DIR, 'workspaces');
  return {
    ...createBuildRecordActivities({
      db,
      cipher,
      maxParallelSubprojects: deps.env.KILN_MAX_PARALLEL_SUBPROJECTS,
      pendingTimeoutSeconds: deps.env.KILN_PENDING_TIMEOUT_SECONDS,
      maxBuildSeconds: deps.env.KILN_MAX_BUILD_SECONDS,
    }),
    ...createSourceActivities({ db, cipher, workspaceRoot }),
    ...createDetectServiceActivities({ db, cipher, workspaceRoot }),
    ...createBuildWizardActivities({ db, cipher, workspaceRoot }),
    ...createDeployActivities({ db, cipher }),
    ...createRollbackActivities({ db, cipher }),
    ...createCommitStatusActivities({ db, cipher, publicUrl: deps.publicUrl, logger: deps.logger }),
  };
}

/** The builder activity (builder task queue), limited by the worker's build slots. */
export function createBuilderQueueActivities(deps: ActivityDeps) {
  const driver = createBuilderDriver(deps.env, deps.logger);
  return createImageBuildActivities({
    db: deps.db,
    cipher: deps.cipher,
    driver,
    temporal: deps.temporal,
    idleTimeoutMs: deps.env.KILN_BUILD_IDLE_TIMEOUT_SECONDS * 1000,
  });
}

/** The configured builder: buildah on this machine, or BuildKit pods on the build cluster. */
export function createBuilderDriver(env: WorkerEnv, logger?: Logger): BuilderDriver {
  if (env.KILN_BUILDER === 'local') {
    return createLocalBuilder({
      storageRoot: path.resolve(env.KILN_DATA_DIR, 'buildah'),
      idleTimeoutMs: env.KILN_BUILD_IDLE_TIMEOUT_SECONDS * 1000,
      isolation: env.KILN_LOCAL_ISOLATION,
      onIsolation: (status) => logger && logIsolation(logger, status),
    });
  }
  return createKubernetesBuilder({
    access: env.KILN_BUILD_KUBECONFIG ? { operatorKubeconfigFile: env.KILN_BUILD_KUBECONFIG } : { inCluster: true },
    namespace: env.KILN_BUILD_NAMESPACE,
    buildkitImage: env.KILN_BUILDKIT_IMAGE,
    nodeSelector: env.KILN_BUILD_NODE_SELECTOR,
  });
}

/** Says at start how local builds are isolated: chroot is a warning, a machine that cannot isolate an error. */
function logIsolation(logger: Logger, status: IsolationStatus): void {
  if (status.mode === 'oci') logger.info({ isolation: 'oci' }, 'Local builds run isolated (runc, build network)');
  else if (status.mode === 'chroot') {
    logger.warn(
      { isolation: 'chroot' },
      'KILN_LOCAL_ISOLATION=chroot: local builds run without isolation (shared host namespaces, no CPU or memory limits); build trusted code only',
    );
  } else logger.error({ isolation: 'unavailable', missing: status.missing }, status.message);
}
