import { z } from 'zod';

/** A URL, or unset (an empty value counts as unset). */
export const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

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

/** What a worker reads from its environment; `server/env.ts` extends it for the one-process start. */
export const workerEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  ...temporalAccessFields,
  DATABASE_URL: optionalUrl,
  KILN_DATA_DIR: z.string().min(1).default('./.kiln'),
  KILN_ENCRYPTION_KEY: z.string().optional(),
  /** Kiln's public URL: commit statuses link to builds there. */
  KILN_PUBLIC_URL: optionalUrl,
  /** Builds that may run at the same time on this worker; more wait as Pending. */
  KILN_MAX_CONCURRENT_BUILDS: z.coerce.number().int().min(1).max(64).default(2),
  /** A build waiting longer than this for a free build slot fails as stuck in pending. */
  KILN_PENDING_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Upper limit on every build profile's timeout (unset: each profile's own limit applies). */
  KILN_MAX_BUILD_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  /** A build printing nothing for this long is stopped as stalled. */
  KILN_BUILD_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Monorepo sub-project builds a parent runs at once. */
  KILN_MAX_PARALLEL_SUBPROJECTS: z.coerce.number().int().min(1).max(32).default(4),
  KILN_BUILDER: z.enum(['local', 'kubernetes']).default('local'),
  /** Local builder: `oci` isolates every build (runc, firewalled network, profile limits); `chroot` is for trusted code only. */
  KILN_LOCAL_ISOLATION: z.enum(['oci', 'chroot']).default('oci'),
  /** Kubernetes builder: kubeconfig file of the build cluster; unset means in-cluster configuration. */
  KILN_BUILD_KUBECONFIG: z.string().min(1).optional(),
  KILN_BUILD_NAMESPACE: z.string().min(1).default('kiln-builds'),
  KILN_BUILDKIT_IMAGE: z.string().min(1).optional(),
  /** Kubernetes builder: `key=value,key2=value2` node selector for dedicated build nodes. */
  KILN_BUILD_NODE_SELECTOR: z
    .string()
    .optional()
    .transform((value) => parseSelector(value)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Worker process configuration. */
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

/** Parses an environment with `schema`; exits with a readable message naming each bad variable. */
export function parseEnvOrExit<T extends z.ZodType>(schema: T, source: NodeJS.ProcessEnv, what: string): z.infer<T> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
  process.stderr.write(`Invalid ${what} configuration:\n${problems}\n`);
  process.exit(1);
}

/** Parses the worker's environment. */
export function loadWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnvOrExit(workerEnvSchema, source, 'worker');
}

function parseSelector(value: string | undefined): Record<string, string> | undefined {
  if (!value) return undefined;
  return Object.fromEntries(
    value.split(',').map((pair) => {
      const [key = '', ...rest] = pair.split('=');
      return [key.trim(), rest.join('=').trim()];
    }),
  );
}
