import { z } from 'zod';
import { baseEnvFields, parseEnvOrExit } from '../config/env-base';

/** What a worker reads from its environment; `server/env.ts` extends it for the one-process start. */
export const workerEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  ...baseEnvFields,
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
});

/** Worker process configuration. */
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

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
