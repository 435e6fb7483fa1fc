import { CheckOutlined, MoreOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { App, Button, Dropdown, Empty, Flex, Table, type TableProps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task } from '../../lib/api-types';
import { useCan, useShell } from '../../lib/shell-context';
import { useTRPC } from '../../lib/trpc';
import { useShowError } from '../../lib/use-show-error';
import { emptyOrSkeleton } from '../lists/ListSkeleton';
import { type CloseKind, CloseTaskModal } from './CloseTaskModal';
import { CompleteTaskModal } from './CompleteTaskModal';
import { TaskFormModal } from './TaskFormModal';
import { TaskDue, TaskPriorityTag, TaskSourceTag, TaskStatusTag, TaskTypeTag } from './task-meta';
import { useTaskRefresh } from './use-task-refresh';

type Props = {
  tasks: Task[];
  /** The tenant's today ('YYYY-MM-DD'), for 今天 and how many days overdue. */
  today: string | null;
  pending: boolean;
  loading?: boolean;
  emptyText: string;
  /** Hidden on a customer's own page. */
  showCustomer?: boolean;
  showOwner?: boolean;
  showStatus?: boolean;
  /** Row selection for bulk changes (managers). */
  selection?: { selected: string[]; onChange: (ids: string[]) => void };
};

/**
 * Tasks as a table, each with its actions: 完成 (the dialog that also logs the interaction),
 * and under 更多 编辑, 跳过, 取消任务, or 重新打开 for a closed one. Used by 我的任务 and the
 * customer's page; other views (the calendar, the team's board) can reuse it.
 */
export function TasksTable({
  tasks,
  today,
  pending,
  loading,
  emptyText,
  showCustomer = true,
  showOwner = false,
  showStatus = false,
  selection,
}: Props) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useTaskRefresh();
  const { me } = useShell();
  const canWrite = useCan('tasks.write');
  const canManage = useCan('tasks.manage');
  const [completing, setCompleting] = useState<Task | null>(null);
  const [closing, setClosing] = useState<{ task: Task; kind: CloseKind } | null>(null);
  const [editing, setEditing] = useState<Task | null>(null);
  const reopen = useMutation(
    trpc.tasks.reopen.mutationOptions({
      onSuccess: async (task) => {
        void message.success(t('tasks.reopened'));
        await refresh(task.customerId);
      },
      onError: (error) => showError(error),
    }),
  );
  const mayWork = (task: Task) => canWrite && (canManage || task.ownerUserId === me.user.id);

  const columns: TableProps<Task>['columns'] = [
    {
      key: 'type',
      title: t('tasks.columns.type'),
      width: 120,
      render: (_, task) => <TaskTypeTag type={task.type} />,
    },
    {
      key: 'title',
      title: t('tasks.columns.title'),
      render: (_, task) => (
        <Flex vertical>
          <Typography.Text strong delete={task.status === 'cancelled'} data-testid="task-title">
            {task.title}
          </Typography.Text>
          {task.statusReason ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {task.statusReason}
            </Typography.Text>
          ) : task.notes ? (
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 360 }}>
              {task.notes}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    ...(showCustomer
      ? [
          {
            key: 'customer',
            title: t('tasks.columns.customer'),
            width: 200,
            render: (_: unknown, task: Task) =>
              task.customerId ? (
                <Link to="/customers/$customerId" params={{ customerId: task.customerId }}>
                  {task.customerName}
                </Link>
              ) : (
                <Typography.Text type="secondary">{t('tasks.noCustomer')}</Typography.Text>
              ),
          },
        ]
      : []),
    {
      key: 'due',
      title: t('tasks.columns.due'),
      width: 130,
      render: (_, task) => <TaskDue task={task} today={today} />,
    },
    {
      key: 'priority',
      title: t('tasks.columns.priority'),
      width: 90,
      render: (_, task) => <TaskPriorityTag priority={task.priority} />,
    },
    {
      key: 'source',
      title: t('tasks.columns.source'),
      width: 90,
      render: (_, task) => <TaskSourceTag source={task.source} />,
    },
    ...(showOwner
      ? [
          {
            key: 'owner',
            title: t('tasks.columns.owner'),
            width: 110,
            render: (_: unknown, task: Task) =>
              task.ownerName ?? <Typography.Text type="secondary">—</Typography.Text>,
          },
        ]
      : []),
    ...(showStatus
      ? [
          {
            key: 'status',
            title: t('tasks.columns.status'),
            width: 90,
            render: (_: unknown, task: Task) => <TaskStatusTag status={task.status} />,
          },
        ]
      : []),
    {
      key: 'actions',
      title: t('tasks.columns.actions'),
      width: 150,
      render: (_, task) => {
        if (!mayWork(task)) return null;
        if (task.status !== 'open') {
          return (
            <Button
              size="small"
              type="link"
              loading={reopen.isPending}
              onClick={() => reopen.mutate({ id: task.id })}
            >
              {t('tasks.actions.reopen')}
            </Button>
          );
        }
        return (
          <Flex gap={4}>
            <Button
              size="small"
              type="primary"
              ghost
              icon={<CheckOutlined />}
              data-testid="task-complete"
              onClick={() => setCompleting(task)}
            >
              {t('tasks.actions.complete')}
            </Button>
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'edit', label: t('tasks.actions.edit'), onClick: () => setEditing(task) },
                  {
                    key: 'skip',
                    label: t('tasks.actions.skip'),
                    onClick: () => setClosing({ task, kind: 'skip' }),
                  },
                  {
                    key: 'cancel',
                    danger: true,
                    label: t('tasks.actions.cancel'),
                    onClick: () => setClosing({ task, kind: 'cancel' }),
                  },
                ],
              }}
            >
              <Button
                size="small"
                type="text"
                icon={<MoreOutlined />}
                aria-label={t('tasks.actions.more')}
                data-testid="task-more"
              />
            </Dropdown>
          </Flex>
        );
      },
    },
  ];

  return (
    <>
      <Table<Task>
        data-testid="tasks-table"
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={tasks}
        columns={columns}
        pagination={false}
        scroll={{ x: 900 }}
        rowSelection={
          selection
            ? {
                selectedRowKeys: selection.selected,
                onChange: (keys) => selection.onChange(keys as string[]),
                getCheckboxProps: (task) => ({ disabled: task.status !== 'open' }),
              }
            : undefined
        }
        locale={{
          emptyText: emptyOrSkeleton(
            pending,
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />,
          ),
        }}
      />
      <CompleteTaskModal task={completing} onClose={() => setCompleting(null)} />
      <CloseTaskModal
        task={closing?.task ?? null}
        kind={closing?.kind ?? 'cancel'}
        onClose={() => setClosing(null)}
      />
      <TaskFormModal open={editing !== null} task={editing} onClose={() => setEditing(null)} />
    </>
  );
}
