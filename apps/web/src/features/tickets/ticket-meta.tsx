import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  ExclamationCircleOutlined,
  PauseCircleOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket, TicketSla } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

const STATUS_COLORS: Readonly<Record<Ticket['status'], string>> = {
  new: 'blue',
  in_progress: 'processing',
  waiting_on_customer: 'gold',
  resolved: 'success',
  closed: 'default',
};

const PRIORITY_COLORS: Readonly<Record<Ticket['priority'], string>> = {
  urgent: 'red',
  high: 'orange',
  normal: 'default',
  low: 'default',
};

const SLA_LOOK: Readonly<Record<TicketSla['state'], { color: string; icon: ReactNode }>> = {
  on_track: { color: 'blue', icon: <ClockCircleOutlined /> },
  at_risk: { color: 'orange', icon: <WarningOutlined /> },
  breached: { color: 'red', icon: <ExclamationCircleOutlined /> },
  paused: { color: 'default', icon: <PauseCircleOutlined /> },
  met: { color: 'green', icon: <CheckCircleOutlined /> },
};

export function TicketStatusTag({ status }: { status: Ticket['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }} data-testid="ticket-status">
      {t(`tickets.statuses.${status}`)}
    </Tag>
  );
}

export function TicketPriorityTag({ priority }: { priority: Ticket['priority'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={PRIORITY_COLORS[priority]} style={{ marginInlineEnd: 0 }}>
      {t(`tickets.priorities.${priority}`)}
    </Tag>
  );
}

/**
 * A span of time as the SLA counts it: minutes under an hour, hours (one decimal under ten) above,
 * and in calendar time days and hours from three days on (超时 121 天 14 小时, not 2918 小时). In
 * working time a day is not 24 hours, so the span stays in hours.
 */
export function formatSpan(t: TFunction, ms: number, mode?: TicketSla['mode']): string {
  const minutes = Math.round(Math.abs(ms) / 60000);
  if (minutes < 60) return t('tickets.minutes', { count: minutes });
  const hours = minutes / 60;
  if (mode === 'calendar' && hours >= 72) {
    const days = Math.floor(hours / 24);
    const rest = Math.round(hours - days * 24);
    return rest === 0 || rest === 24
      ? t('tickets.days', { count: days + (rest === 24 ? 1 : 0) })
      : t('tickets.daysHours', { days, hours: rest });
  }
  return t('tickets.hours', { count: hours < 10 ? Math.round(hours * 10) / 10 : Math.round(hours) });
}

/** Hours from minutes for targets (24 h, 4 h, 1.5 h). */
export function formatTarget(t: TFunction, minutes: number): string {
  return formatSpan(t, minutes * 60000);
}

/**
 * The SLA badge of lists and the detail: the running clock's time left (on track), a warning
 * (at risk), how far past its target (breached), paused while waiting on the customer, or met.
 */
export function SlaBadge({ sla }: { sla: TicketSla }) {
  const { t } = useTranslation();
  const look = SLA_LOOK[sla.state];
  const clock = sla.clock ? t(`tickets.slaClock.${sla.clock}`) : null;
  let text: string = t(`tickets.slaStates.${sla.state}`);
  if (sla.remainingMs !== null && (sla.state === 'on_track' || sla.state === 'at_risk')) {
    text = t('tickets.left', { time: formatSpan(t, sla.remainingMs, sla.mode) });
  } else if (sla.remainingMs !== null && sla.state === 'breached') {
    text = t('tickets.overdueBy', { time: formatSpan(t, sla.remainingMs, sla.mode) });
  }
  const title = [t(`tickets.slaStates.${sla.state}`), clock, sla.dueAt ? formatDateTime(sla.dueAt) : null]
    .filter(Boolean)
    .join(' · ');
  return (
    <Tooltip title={title}>
      <Tag
        color={look.color}
        icon={look.icon}
        style={{ marginInlineEnd: 0 }}
        data-testid="ticket-sla"
        data-state={sla.state}
      >
        {clock && sla.state !== 'paused' && sla.state !== 'met' ? `${clock} · ${text}` : text}
      </Tag>
    </Tooltip>
  );
}

/** After a ticket changes: every ticket list, count and detail, and the customer's timeline. */
export function useTicketRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async (customerId?: string | null) => {
    await Promise.all([
      queryClient.invalidateQueries(trpc.tickets.pathFilter()),
      customerId
        ? queryClient.invalidateQueries(trpc.customers.timeline.infiniteQueryFilter({ id: customerId }))
        : null,
    ]);
  };
}
