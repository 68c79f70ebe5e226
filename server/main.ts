// `npm start`: Kiln's API, UI, worker and (without TEMPORAL_ADDRESS) the embedded Temporal devserver in one process.
import { PRIVATE_UMASK } from '../worker/data-dir';
import { loadServerEnv } from './env';
import { createLogger } from './logger';
import { adminTokenFile } from './setup';
import { startKiln, startLine } from './start';

// Before anything is written: files Kiln creates are its user's alone (existing ones are fixed at start).
process.umask(PRIVATE_UMASK);
const env = loadServerEnv();
const logger = createLogger(env.LOG_LEVEL);

try {
  const kiln = await startKiln(env, logger);
  logger.info(
    { url: kiln.url, listen: kiln.listen, temporal: kiln.temporalAddress },
    `Kiln is running on ${kiln.url} (listening on ${kiln.listen})`,
  );
  // One plain line for the person who just typed `npm start`, next to the JSON log.
  process.stdout.write(`${startLine(kiln.url, adminTokenFile(env.KILN_DATA_DIR))}\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping Kiln');
    void kiln.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  logger.fatal({ err: error }, `Kiln failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
