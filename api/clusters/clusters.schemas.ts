import { z } from '@hono/zod-openapi';
import { clusterModes } from '../../domain/connections';
import { namespacePattern } from '../../domain/deploy-namespace';

const namespacesDescription =
  "In-cluster mode: the namespaces its services may deploy to, as names or prefixes ending in '*' (team-a-*). " +
  "Kiln's own service account could reach every namespace, so nothing else is allowed.";
const namespaces = z
  .array(
    z.string().regex(namespacePattern, {
      message: "each namespace is a DNS label (my-team) or a prefix ending in '*' (team-a-*)",
    }),
  )
  .min(1)
  .max(100)
  .openapi({ description: namespacesDescription });

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
    namespaces: z.array(z.string()).nullable().openapi({ description: namespacesDescription }),
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
    namespaces: namespaces.optional(),
  })
  .refine((v) => v.mode === 'in-cluster' || v.kubeconfig, {
    message: 'a kubeconfig is required when mode is "kubeconfig"',
    path: ['kubeconfig'],
  })
  .refine((v) => (v.mode === 'in-cluster') === (v.namespaces !== undefined), {
    message: 'namespaces are required when mode is "in-cluster", and only then',
    path: ['namespaces'],
  });
/** The body that changes a cluster. */
export const clusterPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).nullable().optional(),
  namespaces: namespaces.optional(),
});
