// CLI: `npm run devserver -- --port 7233 [--ip 127.0.0.1] [--db-filename ./devserver.db] [--api-key <key>]
// [--dynamic-config-value KEY=VALUE …]`.
import { pino } from 'pino';
import { dynamicConfigOptions } from './dynamic-config';
import { loadDevServerEnv } from './env';
import { startDevServer } from './server';

// Its database files are the running user's alone.
process.umask(0o077);
const env = loadDevServerEnv();
// Logs go to stderr so stdout carries exactly one line: the readiness line scripts wait for.
const logger = pino({ level: env.logLevel, name: 'devserver' }, pino.destination(2));

try {
  const { ip, port, dbFilename, apiKey } = env;
  const { options, ignored } = dynamicConfigOptions(env.dynamicConfig);
  if (ignored.length > 0) logger.warn({ ignored }, 'these dynamic config values have no effect on the Kiln devserver');
  const server = await startDevServer({ ip, port, dbFilename, apiKey, logger, ...options });
  if (!apiKey) {
    logger.warn(
      { address: server.address },
      'devserver accepts every client on this address: anyone who can reach it can list, start and cancel workflows; ' +
        'set KILN_DEVSERVER_API_KEY (or --api-key) to require a key',
    );
  }
  process.stdout.write(`Kiln devserver ready on ${server.address}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'devserver stopping');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'devserver stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  process.stderr.write(`Kiln devserver failed to start: ${(err as Error).message}\n`);
  process.exit(1);
}
