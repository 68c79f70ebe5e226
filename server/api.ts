// `npm run start:api`: the Kiln API and UI on their own, against a real Temporal cluster (temporal.compose.yml).
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { Hono } from 'hono';
import { createApp } from '../api/app';
import { loadApiEnv } from '../api/env';
import { PRIVATE_UMASK, protectDataDir } from '../worker/data-dir';
import { temporalConnectionOptions } from '../worker/temporal-connection';
import { createLogger } from './logger';
import { startBuildReconciler } from './reconcile-builds';
import { appConfigFrom, openKilnDatabase } from './setup';
import { hostPort } from './listen-address';
import { staticUi } from './static-ui';

process.umask(PRIVATE_UMASK);
const env = loadApiEnv();
const logger = createLogger('info');
await protectDataDir(env.KILN_DATA_DIR);
const { database, cipher } = await openKilnDatabase(env, logger);
const connection = await Connection.connect(
  temporalConnectionOptions({ address: env.TEMPORAL_ADDRESS, apiKey: env.TEMPORAL_API_KEY, tls: env.TEMPORAL_TLS }),
);
const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
startBuildReconciler({ db: database.db, temporal, logger, intervalSeconds: env.KILN_RECONCILE_INTERVAL_SECONDS });
const api = createApp({ db: database.db, temporal, cipher, logger, config: appConfigFrom(env) });
const http = new Hono().route('/', api).route('/', staticUi());
const server = serve({ fetch: http.fetch, hostname: env.HOST, port: env.PORT }, () => {
  const bound = server.address() as AddressInfo;
  logger.info({ address: bound.address, port: bound.port }, `Kiln API listening on ${hostPort(bound)}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => void Promise.all([connection.close(), database.close()]).then(() => process.exit(0)));
  });
}
