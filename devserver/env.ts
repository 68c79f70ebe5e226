// Devserver process configuration: CLI flags (--port, --ip, --db-filename, --api-key, --dynamic-config-value) over
// environment variables.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { logLevel, parseEnvOrExit } from '../config/env-base';

const schema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(7233),
  ip: z.string().min(1).default('127.0.0.1'),
  dbFilename: z.string().min(1).optional(),
  /** Required from every client as `authorization: Bearer <key>` when set. */
  apiKey: z.string().min(16, 'use at least 16 characters (e.g. `openssl rand -base64 32`)').optional(),
  logLevel,
  /** `--dynamic-config-value KEY=VALUE` (repeatable), as `temporal server start-dev` takes them. */
  dynamicConfig: z.array(z.string()).default([]),
});

/** The devserver's validated configuration. */
export type DevServerEnv = z.infer<typeof schema>;

/** Reads flags and KILN_DEVSERVER_* variables; exits with a readable message when they are invalid. */
export function loadDevServerEnv(
  argv: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): DevServerEnv {
  let flags: Record<string, string | undefined> & { 'dynamic-config-value'?: string[] };
  try {
    flags = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        ip: { type: 'string' },
        'db-filename': { type: 'string' },
        'api-key': { type: 'string' },
        'log-level': { type: 'string' },
        'dynamic-config-value': { type: 'string', multiple: true },
      },
      strict: true,
    }).values as typeof flags;
  } catch (err) {
    process.stderr.write(
      `${(err as Error).message}\nUsage: npm run devserver -- [--port 7233] [--ip 127.0.0.1] [--db-filename ./devserver.db] [--api-key <key>] [--dynamic-config-value limit.blobSize.error=2097152 …]\n`,
    );
    process.exit(2);
  }
  return parseEnvOrExit(
    schema,
    {
      port: flags.port ?? env.KILN_DEVSERVER_PORT,
      ip: flags.ip ?? env.KILN_DEVSERVER_IP,
      dbFilename: flags['db-filename'] ?? env.KILN_DEVSERVER_DB_FILENAME,
      apiKey: flags['api-key'] ?? (env.KILN_DEVSERVER_API_KEY || undefined),
      logLevel: flags['log-level'] ?? env.LOG_LEVEL,
      dynamicConfig: flags['dynamic-config-value'],
    },
    'devserver',
    2,
  );
}
