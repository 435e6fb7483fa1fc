import { useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';

/** After a task changes: every task list and count, and the customer's timeline and interactions. */
export function useTaskRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async (customerId?: string | null) => {
    await Promise.all([
      queryClient.invalidateQueries(trpc.tasks.pathFilter()),
      customerId
        ? queryClient.invalidateQueries(trpc.customers.timeline.infiniteQueryFilter({ id: customerId }))
        : null,
      customerId ? queryClient.invalidateQueries(trpc.interactions.list.queryFilter({ customerId })) : null,
    ]);
  };
}
