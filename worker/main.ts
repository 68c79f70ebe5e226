// `npm run start:worker`: a Kiln worker on its own, against a real Temporal cluster (temporal.compose.yml).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createLogger, installTemporalLogging } from '../server/logger';
import { openKilnDatabase } from '../server/setup';
import { PRIVATE_UMASK, protectDataDir } from './data-dir';
import { loadWorkerEnv } from './env';
import { temporalConnectionOptions, workerConnectionOptions } from './temporal-connection';
import { startKilnWorkers } from './worker';

process.umask(PRIVATE_UMASK);
const env = loadWorkerEnv();
const logger = createLogger(env.LOG_LEVEL);
installTemporalLogging(logger);

if (!env.TEMPORAL_ADDRESS) {
  logger.fatal('TEMPORAL_ADDRESS is not set: a separate worker needs a Temporal cluster; `npm start` runs all in one.');
  process.exit(1);
}

await protectDataDir(env.KILN_DATA_DIR);
const { database, cipher } = await openKilnDatabase(env, logger);
const target = { address: env.TEMPORAL_ADDRESS, apiKey: env.TEMPORAL_API_KEY, tls: env.TEMPORAL_TLS };
const connection = await Connection.connect(temporalConnectionOptions(target));
const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
const nativeConnection = await NativeConnection.connect(workerConnectionOptions(target));
const publicUrl = env.KILN_PUBLIC_URL ?? 'http://localhost:8080';
const deps = { db: database.db, cipher, temporal, logger, env, publicUrl };
const workers = await startKilnWorkers(nativeConnection, deps);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void workers.shutdown());
logger.info(
  { temporal: env.TEMPORAL_ADDRESS, maxConcurrentBuilds: env.KILN_MAX_CONCURRENT_BUILDS },
  'Kiln worker running',
);
await workers.run();
await Promise.all([nativeConnection.close(), connection.close(), database.close()]);
logger.info('Kiln worker stopped');
