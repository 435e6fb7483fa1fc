import { CheckOutlined, CloseOutlined, ScheduleOutlined, StopOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { languageOf } from '../industry/json-schema';

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
const EVENTS = ['started', 'submitted', 'approve', 'reject', 'ended'] as const;
type PlanEvent = (typeof EVENTS)[number];
const END_REASONS = ['tier_changed', 'cadence_removed', 'customer_inactive'] as const;

const LOOK: Record<PlanEvent, { color: string; icon: ReactNode }> = {
  started: { color: 'blue', icon: <ScheduleOutlined /> },
  submitted: { color: 'gold', icon: <ScheduleOutlined /> },
  approve: { color: 'green', icon: <CheckOutlined /> },
  reject: { color: 'red', icon: <CloseOutlined /> },
  ended: { color: 'gray', icon: <StopOutlined /> },
};

/** A maintenance plan on the customer's timeline: started or submitted, decided, ended. */
export function planTimelineView(data: Record<string, unknown>): {
  title: ReactNode;
  color: string;
  icon: ReactNode;
} {
  const event = (EVENTS as readonly string[]).includes(String(data.event))
    ? (data.event as PlanEvent)
    : 'started';
  return { ...LOOK[event], title: <PlanTimelineTitle data={data} event={event} /> };
}

function PlanTimelineTitle({ data, event }: { data: Record<string, unknown>; event: PlanEvent }) {
  const { t, i18n } = useTranslation();
  const name =
    (languageOf(i18n.language) === 'en' ? text(data.en) : text(data.zh)) ?? text(data.cadence) ?? '';
  const reason = (END_REASONS as readonly string[]).includes(String(data.reason))
    ? t(`plans.endReason.${data.reason as (typeof END_REASONS)[number]}`)
    : null;
  const comment = text(data.comment);
  return (
    <span data-testid="timeline-plan">
      <Typography.Text strong>{t(`plans.timeline.${event}`, { name })}</Typography.Text>
      {reason ? <Typography.Text type="secondary"> · {reason}</Typography.Text> : null}
      {comment ? <Typography.Text type="secondary"> · {comment}</Typography.Text> : null}
    </span>
  );
}
