import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback } from 'react';

/**
 * After the active tenant changed (switch, create, accept an invitation): drop every cached
 * answer, since all of them belonged to the previous tenant, and start from the workbench (工作台).
 */
export function useAfterTenantChange() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(async () => {
    await queryClient.resetQueries();
    await navigate({ to: '/workbench' });
  }, [queryClient, navigate]);
}
