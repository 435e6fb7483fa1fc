import {
  ArrowRightOutlined,
  CustomerServiceOutlined,
  EllipsisOutlined,
  EnvironmentOutlined,
  FileSearchOutlined,
  GlobalOutlined,
  HeartOutlined,
  MailOutlined,
  PhoneOutlined,
  SendOutlined,
  SwapOutlined,
  VideoCameraOutlined,
  WechatOutlined,
} from '@ant-design/icons';
import { Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task, TaskPriority, TaskSource, TaskStatus, TaskType } from '../../lib/api-types';
import { formatDate, formatTimeIn } from '../../lib/format';
import { useTenantTimeZone } from '../../lib/shell-context';

export const TASK_TYPE_ICONS: Readonly<Record<TaskType, ReactNode>> = {
  visit: <EnvironmentOutlined />,
  call: <PhoneOutlined />,
  video_call: <VideoCameraOutlined />,
  online: <GlobalOutlined />,
  wechat: <WechatOutlined />,
  email: <MailOutlined />,
  content_push: <SendOutlined />,
  needs_review: <FileSearchOutlined />,
  callback: <CustomerServiceOutlined />,
  care: <HeartOutlined />,
  handoff: <SwapOutlined />,
  follow_up: <ArrowRightOutlined />,
  other: <EllipsisOutlined />,
};

const SOURCE_COLORS: Readonly<Record<TaskSource, string>> = {
  plan: 'blue',
  reminder: 'purple',
  interaction: 'cyan',
  rule: 'orange',
  manual: 'default',
};

const PRIORITY_COLORS: Readonly<Record<TaskPriority, string>> = {
  urgent: 'red',
  high: 'orange',
  normal: 'default',
  low: 'default',
};

const STATUS_COLORS: Readonly<Record<TaskStatus, string>> = {
  open: 'processing',
  done: 'success',
  cancelled: 'default',
  skipped: 'warning',
};

export function TaskTypeTag({ type }: { type: TaskType }) {
  const { t } = useTranslation();
  return (
    <Tag icon={TASK_TYPE_ICONS[type]} style={{ marginInlineEnd: 0 }}>
      {t(`tasks.type.${type}`)}
    </Tag>
  );
}

/** 计划 / 提醒 / 下一步 / 手动 / 规则: what put the task on the list. */
export function TaskSourceTag({ source }: { source: TaskSource }) {
  const { t } = useTranslation();
  return (
    <Tag color={SOURCE_COLORS[source]} variant="outlined" style={{ marginInlineEnd: 0 }}>
      {t(`tasks.source.${source}`)}
    </Tag>
  );
}

export function TaskPriorityTag({ priority }: { priority: TaskPriority }) {
  const { t } = useTranslation();
  return (
    <Tag color={PRIORITY_COLORS[priority]} style={{ marginInlineEnd: 0 }}>
      {t(`tasks.priority.${priority}`)}
    </Tag>
  );
}

export function TaskStatusTag({ status }: { status: TaskStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {t(`tasks.status.${status}`)}
    </Tag>
  );
}

/** The due day (and deadline time), red with how many days when overdue. */
export function TaskDue({ task, today }: { task: Task; today: string | null }) {
  const { t } = useTranslation();
  const timeZone = useTenantTimeZone();
  const time = task.dueAt ? formatTimeIn(task.dueAt, timeZone) : null;
  const day = task.dueOn === today ? t('tasks.dueToday') : formatDate(task.dueOn);
  const label = time ? `${day} ${time}` : day;
  if (!task.overdue) return <Typography.Text>{label}</Typography.Text>;
  const days = today ? dayjs(today).diff(dayjs(task.dueOn), 'day') : 0;
  return (
    <Typography.Text type="danger" data-testid="task-overdue">
      {label}
      {days > 0 ? (
        <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }}>
          {t('tasks.overdueDays', { count: days })}
        </Typography.Text>
      ) : null}
    </Typography.Text>
  );
}
