import { z } from 'zod';
import { apiFields } from '../api/env';
import { parseEnvOrExit } from '../config/env-base';
import { workerEnvSchema } from '../worker/env';

/** `npm start`'s environment: the worker's and the API's variables and the devserver port. */
export const serverEnvSchema = workerEnvSchema.extend({
  ...apiFields,
  /** Pins the embedded devserver's port (0 = any free one); unset, it takes 7233 when free and any free port otherwise. */
  KILN_DEVSERVER_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

/** Configuration of `npm start`: API, worker and (unless TEMPORAL_ADDRESS is set) the devserver in one process. */
export type ServerEnv = z.infer<typeof serverEnvSchema>;

/** Parses the environment of `npm start`; exits with a readable message when it is invalid. */
export function loadServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  return parseEnvOrExit(serverEnvSchema, source, 'Kiln');
}
