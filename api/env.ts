import { z } from 'zod';
import { baseEnvFields, optionalUrl, parseEnvOrExit } from '../config/env-base';

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
  ...baseEnvFields,
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  /** Set as on the workers, so the UI can warn when they build without isolation. */
  KILN_LOCAL_ISOLATION: z.enum(['oci', 'chroot']).optional(),
});

/** Validated configuration of the API process. */
export type ApiEnv = z.infer<typeof apiEnvSchema>;

/** Reads and validates the API process environment; exits with a readable message when it is invalid. */
export function loadApiEnv(source: NodeJS.ProcessEnv = process.env): ApiEnv {
  return parseEnvOrExit(apiEnvSchema, source, 'Kiln API');
}
