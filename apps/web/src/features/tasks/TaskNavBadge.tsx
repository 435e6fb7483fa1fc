import { useQuery } from '@tanstack/react-query';
import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';

/** How often the navigation's count is refreshed while the app is open. */
const REFRESH_MS = 60_000;

/**
 * The number beside 任务 in the navigation: my open tasks due today and overdue (red when
 * some are overdue). Task changes refresh it at once (they invalidate every tasks query).
 */
export function TaskNavBadge({ enabled, collapsed }: { enabled: boolean; collapsed: boolean }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const counts = useQuery({
    ...trpc.tasks.counts.queryOptions({ owner: 'me' }),
    enabled,
    refetchInterval: REFRESH_MS,
  });
  const due = (counts.data?.today ?? 0) + (counts.data?.overdue ?? 0);
  if (!enabled || due === 0) return null;
  return (
    <Badge
      data-testid="nav-tasks-count"
      count={due}
      overflowCount={99}
      size="small"
      color={(counts.data?.overdue ?? 0) > 0 ? 'red' : 'blue'}
      title={`${t('tasks.views.today')} ${counts.data?.today ?? 0} · ${t('tasks.views.overdue')} ${counts.data?.overdue ?? 0}`}
      style={{ marginInlineStart: collapsed ? 0 : 8, boxShadow: 'none' }}
    />
  );
}
