/** The kinds of outside systems an organization connects Kiln to. Pure: no I/O. */

/** Git hosts with an API Kiln talks to (a plain git server is a GitLab/GitHub-less connection: `providerApi` off). */
export const gitProviderKinds = ['gitlab', 'github'] as const;
export type GitProviderKind = (typeof gitProviderKinds)[number];

/** The address a Git connection of this kind has when none is given: the public gitlab.com or github.com. */
export const defaultProviderBaseUrl: Record<GitProviderKind, string> = {
  gitlab: 'https://gitlab.com',
  github: 'https://github.com',
};

/** Registries Kiln pushes to: Harbor (projects created through its API), Docker Hub, any OCI registry. */
export const registryKinds = ['harbor', 'dockerhub', 'oci'] as const;
export type RegistryKind = (typeof registryKinds)[number];

/** What screens call each registry kind. */
export const registryKindLabels: Record<RegistryKind, string> = {
  harbor: 'Harbor',
  dockerhub: 'Docker Hub',
  oci: 'OCI registry',
};

/** How Kiln reaches a cluster: a stored kubeconfig, or its own service account when it runs inside the cluster. */
export const clusterModes = ['kubeconfig', 'in-cluster'] as const;
export type ClusterMode = (typeof clusterModes)[number];
