// `npm run start:worker`: a Kiln worker on its own, against a real Temporal cluster (temporal.compose.yml).
import { NativeConnection } from '@temporalio/worker';
import { createLogger, installTemporalLogging } from '../server/logger';
import { createBuilderQueueActivities, createBuildQueueActivities } from './activities';
import { bundleKilnWorkflows } from './bundle';
import { loadWorkerEnv } from './env';
import { createKilnWorkers } from './worker';

const env = loadWorkerEnv();
const logger = createLogger(env.LOG_LEVEL);
installTemporalLogging(logger);

if (!env.TEMPORAL_ADDRESS) {
  logger.fatal(
    'TEMPORAL_ADDRESS is not set: a separate worker needs a Temporal cluster. `npm start` runs everything in one process.',
  );
  process.exit(1);
}

const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
const deps = { dataDir: env.KILN_DATA_DIR };
const workers = await createKilnWorkers({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  workflowBundle: await bundleKilnWorkflows(),
  activities: createBuildQueueActivities(deps),
  builderActivities: createBuilderQueueActivities(deps),
  maxConcurrentBuilds: env.KILN_MAX_CONCURRENT_BUILDS,
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void workers.shutdown());
logger.info(
  { temporal: env.TEMPORAL_ADDRESS, maxConcurrentBuilds: env.KILN_MAX_CONCURRENT_BUILDS },
  'Kiln worker running',
);
await workers.run();
await connection.close();
logger.info('Kiln worker stopped');
