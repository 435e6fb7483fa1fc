import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { createFileRoute, useNavigate } from '@tanstack/react-router';
import { App, Card, Segmented } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader';
import { type CalendarTask, calendarRange, TaskCalendar } from '../../../features/tasks/TaskCalendar';
import { TaskDetailDrawer } from '../../../features/tasks/TaskDetailDrawer';
import { useTaskRefresh } from '../../../features/tasks/use-task-refresh';
import type { Task } from '../../../lib/api-types';
import { dayShape, flag, oneOf, searchOf, withDefault } from '../../../lib/search-params';
import { useCan, useShell } from '../../../lib/shell-context';
import { useTRPC } from '../../../lib/trpc';
import { useShowError } from '../../../lib/use-show-error';

const searchSchema = searchOf({
  mode: withDefault(oneOf(['week', 'month']), 'week'),
  /** A day of the week or month shown; today when absent. */
  day: dayShape,
  team: flag,
});
type CalendarSearch = ReturnType<typeof searchSchema.parse>;

export const Route = createFileRoute('/_app/tasks/calendar')({
  validateSearch: (search): CalendarSearch => searchSchema.parse(search),
  component: TaskCalendarPage,
});

/** 任务日历: the member's (or, for a manager, the team's) tasks by due day, a week or a month at a time. */
function TaskCalendarPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const refresh = useTaskRefresh();
  const navigate = useNavigate({ from: Route.fullPath });
  const { message } = App.useApp();
  const showError = useShowError();
  const { me } = useShell();
  const canManage = useCan('tasks.manage');
  const canWrite = useCan('tasks.write');
  const search = Route.useSearch();
  const team = canManage && search.team === true;
  const anchor = dayjs(search.day ?? undefined);
  const range = calendarRange(search.mode, anchor);
  const input = {
    from: range.from.format('YYYY-MM-DD'),
    to: range.to.format('YYYY-MM-DD'),
    owner: team ? ('any' as const) : ('me' as const),
  };
  const calendar = useQuery({
    ...trpc.tasks.calendar.queryOptions(input),
    placeholderData: keepPreviousData,
  });
  const move = useMutation(
    trpc.tasks.update.mutationOptions({
      onSuccess: async (task) => {
        message.success(t('taskViews.calendar.rescheduled', { day: task.dueOn }));
        await refresh(task.customerId);
      },
      onError: (error) => showError(error),
    }),
  );
  const setSearch = (next: Partial<CalendarSearch>) =>
    void navigate({ search: (previous) => ({ ...previous, ...next }), replace: true });
  const today = calendar.data?.today ?? dayjs().format('YYYY-MM-DD');
  const [opened, setOpened] = useState<Task | null>(null);
  const mayMove = (task: CalendarTask) => canManage || task.ownerUserId === me.user.id;

  return (
    <>
      <PageHeader title={t('tasks.areas.calendar')} subtitle={t('taskViews.calendar.subtitle')} />
      <Card>
        <TaskCalendar
          mode={search.mode}
          anchor={anchor}
          today={today}
          tasks={calendar.data?.items ?? []}
          truncated={calendar.data?.truncated ?? false}
          onModeChange={(mode) => setSearch({ mode })}
          onAnchorChange={(day) => setSearch({ day: day.format('YYYY-MM-DD') })}
          onOpen={(task) => setOpened(calendar.data?.items.find((item) => item.id === task.id) ?? null)}
          onMove={canWrite ? (task, day) => move.mutate({ id: task.id, dueOn: day }) : undefined}
          canMove={mayMove}
          extra={
            canManage ? (
              <Segmented<'me' | 'team'>
                data-testid="calendar-owner"
                aria-label={t('taskViews.calendar.ownerLabel')}
                value={team ? 'team' : 'me'}
                onChange={(value) => setSearch({ team: value === 'team' ? true : undefined })}
                options={[
                  { value: 'me', label: t('taskViews.calendar.mine') },
                  { value: 'team', label: t('taskViews.calendar.team') },
                ]}
              />
            ) : null
          }
        />
      </Card>
      <TaskDetailDrawer task={opened} today={calendar.data?.today ?? null} onClose={() => setOpened(null)} />
    </>
  );
}
