import { CheckOutlined, EditOutlined } from '@ant-design/icons';
import { Link } from '@tanstack/react-router';
import { Button, Descriptions, Drawer, Flex, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task } from '../../lib/api-types';
import { useCan, useShell } from '../../lib/shell-context';
import { CompleteTaskModal } from './CompleteTaskModal';
import { TaskFormModal } from './TaskFormModal';
import { TaskDue, TaskPriorityTag, TaskSourceTag, TaskStatusTag, TaskTypeTag } from './task-meta';

type Props = { task: Task | null; today: string | null; onClose: () => void };

/**
 * One task opened from the calendar: what, for whom, when, and 完成 (with its interaction)
 * or 编辑 for those who may work it.
 */
export function TaskDetailDrawer({ task, today, onClose }: Props) {
  const { t } = useTranslation();
  const { me } = useShell();
  const canWrite = useCan('tasks.write');
  const canManage = useCan('tasks.manage');
  const [completing, setCompleting] = useState<Task | null>(null);
  const [editing, setEditing] = useState<Task | null>(null);
  const mayWork =
    task !== null && task.status === 'open' && canWrite && (canManage || task.ownerUserId === me.user.id);
  return (
    <>
      <Drawer
        open={task !== null}
        onClose={onClose}
        title={task?.title}
        size="default"
        data-testid="task-detail"
        extra={
          mayWork && task ? (
            <Flex gap={8}>
              <Button icon={<EditOutlined />} onClick={() => setEditing(task)} data-testid="task-detail-edit">
                {t('tasks.actions.edit')}
              </Button>
              <Button
                type="primary"
                icon={<CheckOutlined />}
                onClick={() => setCompleting(task)}
                data-testid="task-detail-complete"
              >
                {t('tasks.actions.complete')}
              </Button>
            </Flex>
          ) : null
        }
      >
        {task ? (
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('tasks.columns.type')}>
              <TaskTypeTag type={task.type} />
            </Descriptions.Item>
            <Descriptions.Item label={t('tasks.columns.due')}>
              <TaskDue task={task} today={today} />
            </Descriptions.Item>
            <Descriptions.Item label={t('tasks.columns.status')}>
              <TaskStatusTag status={task.status} />
              {task.statusReason ? (
                <Typography.Text type="secondary"> {task.statusReason}</Typography.Text>
              ) : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('tasks.columns.priority')}>
              <TaskPriorityTag priority={task.priority} />
            </Descriptions.Item>
            <Descriptions.Item label={t('tasks.columns.customer')}>
              {task.customerId ? (
                <Link to="/customers/$customerId" params={{ customerId: task.customerId }}>
                  {task.customerName}
                </Link>
              ) : (
                <Typography.Text type="secondary">{t('taskViews.calendar.untitledCustomer')}</Typography.Text>
              )}
              {task.contactName ? (
                <Typography.Text type="secondary"> · {task.contactName}</Typography.Text>
              ) : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('tasks.columns.owner')}>{task.ownerName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('tasks.columns.source')}>
              <TaskSourceTag source={task.source} />
            </Descriptions.Item>
            {task.notes ? (
              <Descriptions.Item label={t('tasks.form.notes')}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                  {task.notes}
                </Typography.Paragraph>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        ) : null}
      </Drawer>
      <CompleteTaskModal
        task={completing}
        onClose={() => {
          setCompleting(null);
          onClose();
        }}
      />
      <TaskFormModal
        open={editing !== null}
        task={editing}
        onClose={() => {
          setEditing(null);
          onClose();
        }}
      />
    </>
  );
}
