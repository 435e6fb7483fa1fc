import { CheckCircleOutlined, ScheduleOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TASK_TYPES, type TaskType } from '../../lib/api-types';
import { formatDate } from '../../lib/format';
import { TaskTypeTag } from './task-meta';

const text = (value: unknown) => (typeof value === 'string' ? value : null);

/** A task on the customer's timeline: set (by a person or a rule), or done. */
export function taskTimelineView(data: Record<string, unknown>): {
  title: ReactNode;
  color: string;
  icon: ReactNode;
} {
  const done = data.event === 'done';
  return {
    color: done ? 'green' : 'blue',
    icon: done ? <CheckCircleOutlined /> : <ScheduleOutlined />,
    title: <TaskTimelineTitle data={data} done={done} />,
  };
}

function TaskTimelineTitle({ data, done }: { data: Record<string, unknown>; done: boolean }) {
  const { t } = useTranslation();
  const type = (TASK_TYPES as readonly string[]).includes(String(data.type)) ? (data.type as TaskType) : null;
  const title = text(data.title) ?? '';
  const dueOn = text(data.dueOn);
  return (
    <span data-testid="timeline-task">
      {type ? <TaskTypeTag type={type} /> : null}{' '}
      <Typography.Text strong>
        {done ? t('tasks.timeline.done', { title }) : t('tasks.timeline.created', { title })}
      </Typography.Text>
      {!done && dueOn ? (
        <Typography.Text type="secondary">
          {' '}
          · {t('tasks.timeline.due', { date: formatDate(dueOn) })}
        </Typography.Text>
      ) : null}
    </span>
  );
}
