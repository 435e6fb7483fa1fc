import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Calendar, Card, Flex, Segmented, Space, Typography, theme } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { DragEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTimeIn } from '../../lib/format';
import { useTenantTimeZone } from '../../lib/shell-context';

/** What the calendar needs of a task (the list's task output). */
export type CalendarTask = {
  id: string;
  title: string;
  type: string;
  dueOn: string;
  dueAt: string | null;
  status: 'open' | 'done' | 'cancelled' | 'skipped';
  overdue: boolean;
  customerName: string | null;
  ownerUserId: string | null;
};

export type CalendarMode = 'week' | 'month';

/** The days a view shows: the week around `anchor`, or the six weeks of its month's grid. */
export function calendarRange(mode: CalendarMode, anchor: Dayjs): { from: Dayjs; to: Dayjs } {
  if (mode === 'week') {
    const from = anchor.startOf('week');
    return { from, to: from.add(6, 'day') };
  }
  const from = anchor.startOf('month').startOf('week');
  return { from, to: from.add(41, 'day') };
}

type Props = {
  mode: CalendarMode;
  anchor: Dayjs;
  today: string;
  tasks: readonly CalendarTask[];
  truncated: boolean;
  onModeChange: (mode: CalendarMode) => void;
  onAnchorChange: (anchor: Dayjs) => void;
  onOpen: (task: CalendarTask) => void;
  /** Moves an open task to another day (drag and drop); absent when the member may not. */
  onMove?: (task: CalendarTask, day: string) => void;
  /** Whether this task may be moved by the member. */
  canMove?: (task: CalendarTask) => boolean;
  /** Beside the mode switch (e.g. mine / the team's). */
  extra?: ReactNode;
};

const MONTH_CELL_LIMIT = 3;

/**
 * 任务日历: tasks on their due day, a week of columns or a month's grid. Overdue tasks are
 * red, done ones struck through; each type has its colour. An open task is dragged to another
 * day to reschedule it.
 */
export function TaskCalendar({
  mode,
  anchor,
  today,
  tasks,
  truncated,
  onModeChange,
  onAnchorChange,
  onOpen,
  onMove,
  canMove,
  extra,
}: Props) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const timeZone = useTenantTimeZone();
  const byDay = new Map<string, CalendarTask[]>();
  for (const task of tasks) {
    const day = byDay.get(task.dueOn) ?? [];
    day.push(task);
    byDay.set(task.dueOn, day);
  }
  const range = calendarRange(mode, anchor);
  const step = mode === 'week' ? 'week' : 'month';
  const title =
    mode === 'week'
      ? t('taskViews.calendar.weekTitle', {
          from: range.from.format('YYYY-MM-DD'),
          to: range.to.format(range.to.year() === range.from.year() ? 'MM-DD' : 'YYYY-MM-DD'),
        })
      : t('taskViews.calendar.monthTitle', {
          year: anchor.year(),
          month: anchor.month() + 1,
          monthName: anchor.locale(i18n.language === 'en' ? 'en' : 'zh-cn').format('MMMM'),
        });

  const movable = (task: CalendarTask) =>
    Boolean(onMove) && task.status === 'open' && (canMove?.(task) ?? true);
  const dropProps = (day: string) =>
    onMove
      ? {
          onDragOver: (event: DragEvent) => {
            if (event.dataTransfer.types.includes('application/x-task-id')) event.preventDefault();
          },
          onDrop: (event: DragEvent) => {
            const id = event.dataTransfer.getData('application/x-task-id');
            const task = tasks.find((candidate) => candidate.id === id);
            event.preventDefault();
            if (task && task.dueOn !== day) onMove(task, day);
          },
        }
      : {};

  const item = (task: CalendarTask, compact: boolean) => {
    const colour = task.overdue
      ? token.colorError
      : task.status === 'open'
        ? TYPE_COLOURS[task.type]
        : token.colorTextQuaternary;
    const closed = task.status !== 'open';
    return (
      <button
        type="button"
        key={task.id}
        data-testid="calendar-task"
        data-task-id={task.id}
        data-overdue={task.overdue ? 'true' : 'false'}
        draggable={movable(task)}
        onDragStart={(event) => {
          event.dataTransfer.setData('application/x-task-id', task.id);
          event.dataTransfer.effectAllowed = 'move';
        }}
        onClick={(event) => {
          event.stopPropagation();
          onOpen(task);
        }}
        title={`${task.title}${task.customerName ? ` · ${task.customerName}` : ''}`}
        style={{
          display: 'block',
          width: '100%',
          textAlign: 'left',
          border: 'none',
          borderLeft: `3px solid ${colour ?? token.colorPrimary}`,
          background: task.overdue
            ? token.colorErrorBg
            : closed
              ? token.colorFillQuaternary
              : token.colorFillTertiary,
          borderRadius: token.borderRadiusSM,
          padding: compact ? '0 4px' : '4px 6px',
          marginBottom: 4,
          cursor: movable(task) ? 'grab' : 'pointer',
          fontSize: compact ? token.fontSizeSM : token.fontSize,
          lineHeight: compact ? '20px' : undefined,
          overflow: 'hidden',
          whiteSpace: compact ? 'nowrap' : 'normal',
          textOverflow: 'ellipsis',
          color: closed ? token.colorTextTertiary : token.colorText,
          textDecoration: closed ? 'line-through' : undefined,
        }}
      >
        {task.dueAt && !compact ? (
          <Typography.Text type="secondary" style={{ marginRight: 4 }}>
            {formatTimeIn(task.dueAt, timeZone)}
          </Typography.Text>
        ) : null}
        {task.title}
        {!compact && task.customerName && !task.title.includes(task.customerName) ? (
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: token.fontSizeSM }}>
            {task.customerName}
          </Typography.Text>
        ) : null}
      </button>
    );
  };

  const toolbar = (
    <Flex justify="space-between" align="center" wrap gap="small" style={{ marginBottom: 12 }}>
      <Space wrap>
        <Button
          icon={<LeftOutlined />}
          aria-label={t(
            mode === 'week' ? 'taskViews.calendar.previousWeek' : 'taskViews.calendar.previousMonth',
          )}
          data-testid="calendar-previous"
          onClick={() => onAnchorChange(anchor.subtract(1, step))}
        />
        <Button data-testid="calendar-today" onClick={() => onAnchorChange(dayjs(today))}>
          {t('taskViews.calendar.today')}
        </Button>
        <Button
          icon={<RightOutlined />}
          aria-label={t(mode === 'week' ? 'taskViews.calendar.nextWeek' : 'taskViews.calendar.nextMonth')}
          data-testid="calendar-next"
          onClick={() => onAnchorChange(anchor.add(1, step))}
        />
        <Typography.Title level={5} style={{ margin: 0 }} data-testid="calendar-title">
          {title}
        </Typography.Title>
      </Space>
      <Space wrap>
        {extra}
        <Segmented<CalendarMode>
          data-testid="calendar-mode"
          aria-label={t('taskViews.calendar.modeLabel')}
          value={mode}
          onChange={onModeChange}
          options={[
            { value: 'week', label: t('taskViews.calendar.week') },
            { value: 'month', label: t('taskViews.calendar.month') },
          ]}
        />
      </Space>
    </Flex>
  );

  const legend = (
    <Space size="middle" style={{ marginTop: 8 }} wrap>
      <Legend colour={token.colorError} label={t('taskViews.calendar.legendOverdue')} />
      <Legend colour={token.colorPrimary} label={t('taskViews.calendar.legendOpen')} />
      <Legend colour={token.colorTextQuaternary} label={t('taskViews.calendar.legendDone')} />
      {onMove ? <Typography.Text type="secondary">{t('taskViews.calendar.dragHint')}</Typography.Text> : null}
    </Space>
  );

  return (
    <div data-testid="task-calendar" data-mode={mode}>
      {toolbar}
      {truncated ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('taskViews.calendar.truncated', { count: tasks.length })}
        />
      ) : null}
      {mode === 'week' ? (
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', gap: 8 }}>
          {Array.from({ length: 7 }, (_, index) => {
            const day = range.from.add(index, 'day');
            const key = day.format('YYYY-MM-DD');
            const isToday = key === today;
            const dayTasks = byDay.get(key) ?? [];
            return (
              <Card
                key={key}
                size="small"
                data-testid={`calendar-day-${key}`}
                title={
                  <span style={{ color: isToday ? token.colorPrimary : undefined }}>
                    {day.format('ddd')} {day.format('MM-DD')}
                  </span>
                }
                styles={{
                  body: { minHeight: 320, padding: 6 },
                  header: isToday ? { background: token.colorPrimaryBg } : undefined,
                }}
                {...dropProps(key)}
              >
                {dayTasks.length === 0 ? (
                  <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
                    {t('taskViews.calendar.empty')}
                  </Typography.Text>
                ) : (
                  dayTasks.map((task) => item(task, false))
                )}
              </Card>
            );
          })}
        </div>
      ) : (
        <Calendar
          value={anchor}
          headerRender={() => null}
          onSelect={(date, info) => {
            // Picking a day of the neighbouring month turns the page there; a day of this one stays.
            if (info.source === 'date' && !date.isSame(anchor, 'month')) onAnchorChange(date);
          }}
          fullCellRender={(date, info) => {
            if (info.type !== 'date') return info.originNode;
            const key = date.format('YYYY-MM-DD');
            const dayTasks = byDay.get(key) ?? [];
            const inMonth = date.isSame(anchor, 'month');
            const isToday = key === today;
            return (
              <div
                data-testid={`calendar-day-${key}`}
                {...dropProps(key)}
                style={{
                  margin: '0 2px',
                  padding: '2px 4px',
                  minHeight: 104,
                  borderTop: `2px solid ${isToday ? token.colorPrimary : token.colorSplit}`,
                  background: isToday ? token.colorPrimaryBg : undefined,
                  opacity: inMonth ? 1 : 0.55,
                  textAlign: 'left',
                }}
              >
                <div style={{ textAlign: 'right', color: isToday ? token.colorPrimary : undefined }}>
                  {date.date()}
                </div>
                {dayTasks.slice(0, MONTH_CELL_LIMIT).map((task) => item(task, true))}
                {dayTasks.length > MONTH_CELL_LIMIT ? (
                  <Button
                    type="link"
                    size="small"
                    style={{ padding: 0, height: 'auto' }}
                    data-testid="calendar-more"
                    onClick={(event) => {
                      event.stopPropagation();
                      onModeChange('week');
                      onAnchorChange(date);
                    }}
                  >
                    {t('taskViews.calendar.more', { count: dayTasks.length - MONTH_CELL_LIMIT })}
                  </Button>
                ) : null}
              </div>
            );
          }}
        />
      )}
      {legend}
    </div>
  );
}

function Legend({ colour, label }: { colour: string; label: string }) {
  return (
    <Space size={4}>
      <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 2, background: colour }} />
      <Typography.Text type="secondary">{label}</Typography.Text>
    </Space>
  );
}

/** A colour per task type, so a week reads at a glance (visits, calls, care …). */
const TYPE_COLOURS: Record<string, string> = {
  visit: '#1677ff',
  call: '#13c2c2',
  video_call: '#2f54eb',
  online: '#722ed1',
  wechat: '#52c41a',
  email: '#faad14',
  content_push: '#eb2f96',
  needs_review: '#fa8c16',
  callback: '#08979c',
  care: '#f759ab',
  handoff: '#597ef7',
  follow_up: '#a0d911',
  other: '#8c8c8c',
};
