import { createFileRoute, Link, Outlet, useRouterState } from '@tanstack/react-router';
import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { TASK_AREAS } from '../../features/tasks/task-areas';
import { useShell } from '../../lib/shell-context';

export const Route = createFileRoute('/_app/tasks')({
  component: TasksLayout,
});

/** 任务: its areas (我的任务, and views added beside it) under one switcher. */
function TasksLayout() {
  const { t } = useTranslation();
  const { tenant } = useShell();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const areas = TASK_AREAS.filter((area) => !area.permission || tenant.permissions.includes(area.permission));
  const current =
    [...areas].reverse().find((area) => pathname === area.to || pathname.startsWith(`${String(area.to)}/`))
      ?.key ?? 'mine';
  return (
    <>
      {areas.length > 1 ? (
        <Segmented
          data-testid="task-areas"
          aria-label={t('tasks.areas.label')}
          style={{ marginBottom: 16 }}
          value={current}
          options={areas.map((area) => ({
            value: area.key,
            label: (
              <Link to={area.to} data-testid={`task-area-${area.key}`}>
                {t(area.label as 'tasks.areas.mine')}
              </Link>
            ),
          }))}
        />
      ) : null}
      <Outlet />
    </>
  );
}
