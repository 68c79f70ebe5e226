import { z } from 'zod';

const schema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  DATABASE_URL: z.string().url().optional(),
  KILN_DATA_DIR: z.string().min(1).default('./.kiln'),
  KILN_ENCRYPTION_KEY: z.string().optional(),
  /** Builds that may run at the same time on this worker; more wait as Pending. */
  KILN_MAX_CONCURRENT_BUILDS: z.coerce.number().int().min(1).max(64).default(2),
  /** Monorepo sub-project builds a parent runs at once. */
  KILN_MAX_PARALLEL_SUBPROJECTS: z.coerce.number().int().min(1).max(32).default(4),
  KILN_BUILDER: z.enum(['local', 'kubernetes']).default('local'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Worker process configuration. */
export type WorkerEnv = z.infer<typeof schema>;

/** Parses the worker's environment; exits with a readable message when it is invalid. */
export function loadWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    process.stderr.write(`Invalid worker configuration:\n${problems}\n`);
    process.exit(1);
  }
  return parsed.data;
}
