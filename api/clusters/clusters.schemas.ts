import { z } from '@hono/zod-openapi';
import { clusterModes } from '../../domain/connections';

/** A runtime environment as the API shows it (never the kubeconfig). */
export const clusterSchema = z
  .object({
    id: z.string().uuid(),
    organizationId: z.string().uuid(),
    name: z.string(),
    mode: z.enum(clusterModes),
    context: z.string().nullable(),
    server: z.string().nullable().openapi({ description: 'API server URL from the kubeconfig' }),
    hasKubeconfig: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Cluster');
/** The body that registers a cluster. */
export const clusterInput = z
  .object({
    organizationId: z.string().uuid().optional(),
    name: z.string().trim().min(1).max(100),
    mode: z.enum(clusterModes),
    kubeconfig: z.string().min(1).optional().openapi({ description: 'Required when mode is kubeconfig' }),
    context: z.string().min(1).optional(),
  })
  .refine((v) => v.mode === 'in-cluster' || v.kubeconfig, {
    message: 'a kubeconfig is required when mode is "kubeconfig"',
    path: ['kubeconfig'],
  });
/** The body that changes a cluster. */
export const clusterPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).nullable().optional(),
});
