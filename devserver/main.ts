// CLI: `npm run devserver -- --port 7233 [--ip 127.0.0.1] [--db-filename ./devserver.db]`.
import { pino } from 'pino';
import { loadDevServerEnv } from './env';
import { startDevServer } from './server';

const env = loadDevServerEnv();
// Logs go to stderr so stdout carries exactly one line: the readiness line scripts wait for.
const logger = pino({ level: env.logLevel, name: 'devserver' }, pino.destination(2));

try {
  const server = await startDevServer({ ip: env.ip, port: env.port, dbFilename: env.dbFilename, logger });
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
