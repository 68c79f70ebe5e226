import { z } from 'zod';

const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  KILN_DATA_DIR: z.string().min(1).default('./.kiln'),
  DATABASE_URL: optionalUrl,
  KILN_ENCRYPTION_KEY: z.string().optional(),
  KILN_PUBLIC_URL: optionalUrl,
  KILN_LOCAL_URL: optionalUrl,
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  KILN_TEMPORAL_UI_URL: optionalUrl,
  /** Port of the embedded Temporal devserver (when TEMPORAL_ADDRESS is unset); 0 picks a free one. */
  KILN_DEVSERVER_PORT: z.coerce.number().int().min(0).max(65535).default(7233),
  KILN_MAX_CONCURRENT_BUILDS: z.coerce.number().int().min(1).max(64).default(2),
  KILN_MAX_PARALLEL_SUBPROJECTS: z.coerce.number().int().min(1).max(32).default(4),
  KILN_BUILDER: z.enum(['local', 'kubernetes']).default('local'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Configuration of `npm start`: API, worker and (unless TEMPORAL_ADDRESS is set) the devserver in one process. */
export type ServerEnv = z.infer<typeof schema>;

/** Parses the environment of `npm start`; exits with a readable message when it is invalid. */
export function loadServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    process.stderr.write(`Invalid Kiln configuration:\n${problems}\n`);
    process.exit(1);
  }
  return parsed.data;
}
