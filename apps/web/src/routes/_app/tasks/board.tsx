import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createFileRoute, useNavigate } from '@tanstack/react-router';
import { Card, Drawer, Result } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { useTiers } from '../../../features/industry/tiers';
import { OverdueBoard } from '../../../features/tasks/OverdueBoard';
import { TasksTable } from '../../../features/tasks/TasksTable';
import { useCan } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';

export const Route = createFileRoute('/_app/tasks/board')({ component: OverdueBoardPage });

/** The overdue tasks of one customer tier (null: customers without a tier, or no customer). */
type OpenedTier = { tier: string | null; title: string };

/**
 * 逾期看板: the team's overdue tasks by owner and by customer tier, for those who manage
 * tasks. An owner's row opens 我的任务 filtered to their overdue tasks; a tier's row lists
 * its tasks beside the board, each with its actions.
 */
function OverdueBoardPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const canManage = useCan('tasks.manage');
  const { tierLabel } = useTiers();
  const board = useQuery({ ...trpc.tasks.overdueBoard.queryOptions(), enabled: canManage });
  const [opened, setOpened] = useState<OpenedTier | null>(null);
  const tasks = useQuery({
    ...trpc.tasks.list.queryOptions({
      view: 'overdue',
      owner: 'any',
      tier: opened?.tier ?? null,
      limit: 200,
    }),
    enabled: canManage && opened !== null,
    placeholderData: keepPreviousData,
  });
  const label = (tier: string | null) => (tier === null ? t('taskViews.board.noTier') : tierLabel(tier));

  if (!canManage) return <Result status="403" title={t('taskViews.board.title')} />;
  return (
    <>
      <PageHeader title={t('taskViews.board.title')} />
      <Card loading={board.isPending}>
        {board.data ? (
          <OverdueBoard
            board={board.data}
            tierLabel={label}
            onOpenRep={(rep) =>
              void navigate({ to: '/tasks', search: { view: 'overdue', owner: rep.userId ?? 'unassigned' } })
            }
            onOpenTier={(tier) =>
              setOpened({
                tier: tier.tier,
                title: t('taskViews.board.tasksOfTier', { tier: label(tier.tier) }),
              })
            }
          />
        ) : null}
      </Card>
      <Drawer
        open={opened !== null}
        onClose={() => setOpened(null)}
        title={opened?.title}
        size="large"
        data-testid="board-drawer"
      >
        <TasksTable
          tasks={opened ? (tasks.data?.items ?? []) : []}
          today={tasks.data?.today ?? null}
          pending={tasks.isPending}
          loading={tasks.isFetching && !tasks.isPending}
          emptyText={t('taskViews.board.none')}
          showOwner
        />
      </Drawer>
    </>
  );
}
