import { z } from 'zod';
import { parseEnvOrExit, workerEnvSchema } from '../worker/env';

const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

export const serverEnvSchema = workerEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface the API listens on: loopback unless the operator opens it up (`HOST=0.0.0.0`). */
  HOST: z.string().min(1).default('127.0.0.1'),
  KILN_LOCAL_URL: optionalUrl,
  KILN_TEMPORAL_UI_URL: optionalUrl,
  /** Pins the embedded devserver's port (0 = any free one); unset, it takes 7233 when free and any free port otherwise. */
  KILN_DEVSERVER_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Seconds between checks for recorded builds whose workflow Temporal does not have (they are started again). */
  KILN_RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(20),
});

/** Configuration of `npm start`: API, worker and (unless TEMPORAL_ADDRESS is set) the devserver in one process. */
export type ServerEnv = z.infer<typeof serverEnvSchema>;

/** Parses the environment of `npm start`; exits with a readable message when it is invalid. */
export function loadServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  return parseEnvOrExit(serverEnvSchema, source, 'Kiln');
}
