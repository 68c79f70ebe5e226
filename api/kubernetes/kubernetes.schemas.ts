import { z } from '@hono/zod-openapi';

/** A cluster check's answer: reachable, its version, the permissions Kiln is missing. */
export const connectivitySchema = z
  .object({
    ok: z.boolean(),
    version: z.string().optional(),
    message: z.string(),
    missing: z.array(z.string()).optional(),
  })
  .openapi('ClusterConnectivity');
/** The service's Deployment as the Deploy and Operate stages show it. */
export const deploymentSchema = z
  .object({
    state: z.enum(['NotConfigured', 'NotDeployed', 'Progressing', 'Available', 'Failed']),
    image: z.string().optional(),
    availableReplicas: z.number(),
    replicas: z.number(),
    message: z.string().optional(),
    namespace: z.string().optional(),
  })
  .openapi('DeploymentStatus');
/** A finished rollback: the build deployed again and what its rollout left running. */
export const rollbackSchema = z
  .object({ buildId: z.string(), image: z.string(), namespace: z.string(), availableReplicas: z.number() })
  .openapi('Rollback');
