import { useQuery } from '@tanstack/react-query';
import { useCan, useShell } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';

/**
 * Whom the member may give tasks to, for the owner pickers: nobody but themselves without
 * tasks.manage; their team for a sales manager; everyone for an admin. The server checks
 * the same rule; this only keeps the list honest.
 */
export function useAssignableMembers(enabled = true): { value: string; label: string }[] {
  const trpc = useTRPC();
  const { me, tenant } = useShell();
  const canManage = useCan('tasks.manage');
  const canReadMembers = useCan('members.read');
  const members = useQuery({
    ...trpc.members.list.queryOptions(),
    enabled: enabled && canManage && canReadMembers,
  });
  if (!canManage) return [];
  const all = members.data ?? [];
  const myTeam = all.find((member) => member.userId === me.user.id)?.teamId ?? null;
  const visible =
    tenant.role === 'sales_manager'
      ? all.filter((member) => member.userId === me.user.id || (myTeam !== null && member.teamId === myTeam))
      : all;
  return visible.map((member) => ({ value: member.userId, label: member.name }));
}
