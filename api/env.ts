import { z } from 'zod';

const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

const apiEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface to listen on: loopback unless the operator opens it up (`HOST=0.0.0.0`). */
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: optionalUrl,
  KILN_DATA_DIR: z.string().min(1).default('./.kiln'),
  KILN_ENCRYPTION_KEY: z.string().optional(),
  /** Base URL users' Git providers reach; the Production webhook URL is built from it. */
  KILN_PUBLIC_URL: optionalUrl,
  /** Tunnel/local URL shown to admins only (e.g. an ngrok address). */
  KILN_LOCAL_URL: optionalUrl,
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_API_KEY: z
    .string()
    .min(1)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TEMPORAL_TLS: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true')),
  KILN_TEMPORAL_UI_URL: optionalUrl,
  /** Set as on the workers, so the UI can warn when they build without isolation. */
  KILN_LOCAL_ISOLATION: z.enum(['oci', 'chroot']).optional(),
  /** Seconds between checks for recorded builds whose workflow Temporal does not have (they are started again). */
  KILN_RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(20),
});

/** Validated configuration of the API process. */
export type ApiEnv = z.infer<typeof apiEnvSchema>;

/** Reads and validates the API process environment; exits with a readable message when it is invalid. */
export function loadApiEnv(source: NodeJS.ProcessEnv = process.env): ApiEnv {
  const parsed = apiEnvSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
  console.error(`Invalid Kiln API configuration:\n${problems}`);
  process.exit(1);
}
