// `npm run start:api`: the Kiln API and UI on their own, against a real Temporal cluster (temporal.compose.yml).
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { Hono } from 'hono';
import { createApp } from '../api/app';
import { loadApiEnv } from '../api/env';
import { createLogger } from './logger';
import { startBuildReconciler } from './reconcile-builds';
import { appConfigFrom, openKilnDatabase } from './setup';
import { staticUi } from './static-ui';

const env = loadApiEnv();
const logger = createLogger('info');
const { database, cipher } = await openKilnDatabase(env, logger);
const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
startBuildReconciler({ db: database.db, temporal, logger, intervalSeconds: env.KILN_RECONCILE_INTERVAL_SECONDS });
const api = createApp({ db: database.db, temporal, cipher, logger, config: appConfigFrom(env) });
const http = new Hono().route('/', api).route('/', staticUi());
const server = serve({ fetch: http.fetch, port: env.PORT }, () =>
  logger.info(`Kiln API listening on port ${env.PORT}`),
);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => void Promise.all([connection.close(), database.close()]).then(() => process.exit(0)));
  });
}
