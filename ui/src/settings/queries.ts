import { useQuery } from '@tanstack/react-query';
import { kiln } from '../api/endpoints';

/** The organization's Git connections, which decide whether a service has a Git token. */
export function useGitProviders() {
  return useQuery({ queryKey: ['git-providers'], queryFn: kiln.listGitProviders, staleTime: 30_000, retry: false });
}

/** The organization's registries, listed in settings and offered by the service form. */
export function useRegistries() {
  return useQuery({ queryKey: ['registries'], queryFn: kiln.listRegistries, retry: false });
}

/** The organization's clusters, listed in settings and offered by the service form. */
export function useClusters() {
  return useQuery({ queryKey: ['clusters'], queryFn: kiln.listClusters, retry: false });
}
