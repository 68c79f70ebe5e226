import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { kiln } from '../api/endpoints';
import type { Build } from '../api/types';
import { useToast } from '../components/toast';
import { isActive } from './format';

/** Query key of a service's builds. */
export const buildsKey = (serviceId: string) => ['builds', serviceId] as const;

/**
 * A service's builds, kept live: polled every 1.5 s while any build is active (the open build's log stream
 * also refreshes it on each status event), every 10 s otherwise to pick up webhook-started builds.
 */
export function useBuilds(serviceId: string) {
  return useQuery({
    queryKey: buildsKey(serviceId),
    queryFn: () => kiln.listBuilds(serviceId),
    refetchInterval: (q) => (q.state.data?.items.some(isActive) ? 1_500 : 10_000),
  });
}

/** Refreshes a service's builds now (e.g. when a log stream reports a status change). */
export function useRefreshBuilds(serviceId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    () => void queryClient.invalidateQueries({ queryKey: buildsKey(serviceId) }),
    [queryClient, serviceId],
  );
}

/** The newest top-level build and the newest built image (monorepo children included), for a card's stages. */
export function useLatestBuilds(serviceId: string): { latest: Build | undefined; lastImage: string | undefined } {
  const query = useQuery({
    queryKey: buildsKey(serviceId),
    queryFn: () => kiln.listBuilds(serviceId),
    refetchInterval: (q) => (q.state.data?.items.some(isActive) ? 2_000 : 5_000),
    retry: false,
  });
  const top = query.data?.items.filter((b) => b.parentBuildId == null) ?? [];
  const built = query.data?.items.find((b) => b.status === 'Succeeded' && b.images.length > 0);
  return { latest: top[0], lastImage: built?.images[0] };
}

/** Trigger, cancel and retry, each refreshing the list and reporting the outcome. */
export function useBuildActions(serviceId: string) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const refresh = () => queryClient.invalidateQueries({ queryKey: buildsKey(serviceId) });
  const onError = (error: Error) => toast(error.message, 'error');
  const trigger = useMutation({
    mutationFn: (branch: string) => kiln.triggerBuild(serviceId, branch),
    onSuccess: async (build) => {
      toast(`Build started on ${build.branch ?? build.ref}`);
      await refresh();
    },
    onError,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => kiln.cancelBuild(id),
    onSuccess: async () => {
      toast('Cancel requested', 'info');
      await refresh();
    },
    onError,
  });
  const retry = useMutation({
    mutationFn: (id: string) => kiln.retryBuild(id),
    onSuccess: async () => {
      toast('Build restarted');
      await refresh();
    },
    onError,
  });
  return { trigger, cancel, retry };
}
