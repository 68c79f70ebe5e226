import { z } from 'zod';
import { optionalUrl, parseEnvOrExit, temporalAccessFields } from '../worker/env';

/** What the API part of Kiln reads, whether it runs alone (`npm run start:api`) or inside `npm start`. */
export const apiFields = {
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface to listen on: loopback unless the operator opens it up (`HOST=0.0.0.0`). */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Tunnel/local URL shown to admins only (e.g. an ngrok address). */
  KILN_LOCAL_URL: optionalUrl,
  KILN_TEMPORAL_UI_URL: optionalUrl,
  /** Seconds between checks for recorded builds whose workflow Temporal does not have (they are started again). */
  KILN_RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(20),
};

const apiEnvSchema = z.object({
  ...apiFields,
  ...temporalAccessFields,
  DATABASE_URL: optionalUrl,
  KILN_DATA_DIR: z.string().min(1).default('./.kiln'),
  KILN_ENCRYPTION_KEY: z.string().optional(),
  /** Base URL users' Git providers reach; the Production webhook URL is built from it. */
  KILN_PUBLIC_URL: optionalUrl,
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** Set as on the workers, so the UI can warn when they build without isolation. */
  KILN_LOCAL_ISOLATION: z.enum(['oci', 'chroot']).optional(),
});

/** Validated configuration of the API process. */
export type ApiEnv = z.infer<typeof apiEnvSchema>;

/** Reads and validates the API process environment; exits with a readable message when it is invalid. */
export function loadApiEnv(source: NodeJS.ProcessEnv = process.env): ApiEnv {
  return parseEnvOrExit(apiEnvSchema, source, 'Kiln API');
}
