import { useMutation, useQueryClient } from '@tanstack/react-query';
import { kiln } from '../api/endpoints';
import type { Delivery } from '../api/types';
import { useToast } from '../components/toast';
import { deliveryOutcome } from './delivery-outcome';

/**
 * Redeliver, after the browser's confirm: Kiln processes the stored payload again, says what came of it and
 * refreshes the deliveries and builds it may have started.
 */
export function useRedeliver(serviceId: string) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const redeliver = useMutation({
    mutationFn: (id: string) => kiln.redeliver(serviceId, id),
    onSuccess: async (d) => {
      toast(`Redelivered: ${deliveryOutcome(d).text}`, d.statusCode < 300 ? 'success' : 'error');
      await queryClient.invalidateQueries({ queryKey: ['deliveries', serviceId] });
      await queryClient.invalidateQueries({ queryKey: ['builds', serviceId] });
    },
    onError: (error) => toast(error.message, 'error'),
  });
  const confirmRedeliver = (d: Delivery) => {
    const what = `${d.event ?? 'delivery'}${d.ref ? ` of ${d.ref}` : ''} from ${new Date(d.createdAt).toLocaleString()}`;
    if (window.confirm(`Redeliver the ${what}? Kiln processes it again and may start a build.`)) redeliver.mutate(d.id);
  };
  return { confirmRedeliver, isPending: redeliver.isPending };
}

/** What `useRedeliver` gives a row: the confirm-then-redeliver action and whether one is under way. */
export type Redeliver = ReturnType<typeof useRedeliver>;
