// The one base every Kiln process's environment schema extends (api/env.ts, worker/env.ts, server/env.ts,
// devserver/env.ts), and the one way a bad value is reported. Each process reads its own variables once, in its env.ts.
import { z } from 'zod';

/** A URL, or unset (an empty value counts as unset). */
export const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

/** pino's levels, for LOG_LEVEL. */
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** How every Kiln process authenticates to TEMPORAL_ADDRESS. */
export const temporalAccessFields = {
  /** API key for TEMPORAL_ADDRESS, sent as `authorization: Bearer <key>` (Temporal Cloud, a proxy that checks keys). */
  TEMPORAL_API_KEY: z
    .string()
    .min(1)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** TLS towards TEMPORAL_ADDRESS; unset follows the SDK: on when TEMPORAL_API_KEY is set, off otherwise. */
  TEMPORAL_TLS: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true')),
};

/** What the API and the workers both read: the database, Kiln's data, its secrets key, its URL and Temporal. */
export const baseEnvFields = {
  ...temporalAccessFields,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  DATABASE_URL: optionalUrl,
  KILN_DATA_DIR: z.string().min(1).default('./.kiln'),
  KILN_ENCRYPTION_KEY: z.string().optional(),
  /** Kiln's public URL: Git providers reach its webhooks there, and commit statuses link to builds there. */
  KILN_PUBLIC_URL: optionalUrl,
  LOG_LEVEL: logLevel,
};

/** Parses `source` with `schema`; exits with a readable message naming each bad variable. */
export function parseEnvOrExit<T extends z.ZodType>(
  schema: T,
  source: unknown,
  what: string,
  exitCode = 1,
): z.infer<T> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
  process.stderr.write(`Invalid ${what} configuration:\n${problems}\n`);
  process.exit(exitCode);
}
