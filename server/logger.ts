import pino from 'pino';
import type { Logger } from 'pino';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { LogLevel } from '@temporalio/worker';
import { REDACTED } from '../domain/redact';

/** Field names whose values are secrets wherever they appear in a log object; pino replaces them. */
const secretPaths = [
  'token',
  'password',
  'secret',
  'webhookSecret',
  'kubeconfig',
  'authorization',
  'encryptionKey',
  '*.token',
  '*.password',
  '*.secret',
  '*.webhookSecret',
  '*.kubeconfig',
  '*.authorization',
  '*.encryptionKey',
  'headers["x-gitlab-token"]',
  'headers["x-hub-signature-256"]',
  'headers["webhook-signature"]',
  'req.headers.authorization',
];

/** Kiln's structured logger: secrets are redacted here, once, not by each caller. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: secretPaths, censor: REDACTED }, base: { app: 'kiln' } }, destination);
}

let runtimeInstalled = false;

/**
 * Routes the Temporal SDK's own logs (worker, core) through Kiln's logger. The SDK allows this once per process;
 * later calls (tests starting Kiln twice) keep the first logger.
 */
export function installTemporalLogging(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdkLogger = new DefaultLogger(toSdkLevel(logger.level), (entry) => {
    const meta = { ...entry.meta, source: 'temporal' };
    const method =
      entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
    logger[method](meta, entry.message);
  });
  Runtime.install({ logger: sdkLogger });
}

function toSdkLevel(level: string): LogLevel {
  if (level === 'trace') return 'TRACE';
  if (level === 'debug') return 'DEBUG';
  if (level === 'info') return 'INFO';
  if (level === 'warn') return 'WARN';
  return 'ERROR';
}
