import {
  AimOutlined,
  FlagOutlined,
  PhoneOutlined,
  SwapOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { Link } from '@tanstack/react-router';
import { Flex, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LEAD_STATUSES } from '../../lib/api-types';

const CHANGES = ['created', 'status', 'owner', 'grade', 'contact'] as const;
type Change = (typeof CHANGES)[number];
const CONTACT_KINDS = ['call', 'visit', 'message', 'email', 'meeting', 'event'] as const;

const LOOK: Record<Change, { color: string; icon: ReactNode }> = {
  created: { color: 'blue', icon: <AimOutlined /> },
  status: { color: 'blue', icon: <FlagOutlined /> },
  owner: { color: 'gray', icon: <UserSwitchOutlined /> },
  grade: { color: 'red', icon: <SwapOutlined /> },
  contact: { color: 'green', icon: <PhoneOutlined /> },
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

/**
 * A converted lead's history on its customer's timeline (the `lead` source): its creation,
 * status and owner moves, grade changes and the contacts logged on it before it became the
 * customer — each under the lead's name, which opens the lead.
 */
export function leadTimelineView(data: Record<string, unknown>): {
  title: ReactNode;
  details?: ReactNode;
  color: string;
  icon: ReactNode;
} {
  const change = isOneOf(CHANGES, data.change) ? data.change : 'status';
  const summary = text(data.summary) || text(data.note);
  return {
    ...LOOK[change],
    title: <LeadChangeText data={data} change={change} />,
    details: summary ? (
      <Typography.Text type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
        {summary}
      </Typography.Text>
    ) : undefined,
  };
}

function LeadChangeText({ data, change }: { data: Record<string, unknown>; change: Change }) {
  const { t } = useTranslation();
  const status = (value: unknown) =>
    isOneOf(LEAD_STATUSES, value) ? t(`marketing.leadStatuses.${value}`) : '—';
  let line: string;
  let way: string | null = null;
  switch (change) {
    case 'created':
      line = t('leads.customerTimeline.created');
      break;
    case 'status':
      line = t('leads.timeline.status', { from: status(data.fromStatus), to: status(data.toStatus) });
      if (data.toStatus === 'disqualified' && text(data.reason))
        way = t(`leads.disqualify.reasons.${text(data.reason) as 'other'}`, {
          defaultValue: text(data.reason),
        });
      break;
    case 'owner':
      line = t('leads.customerTimeline.owner');
      way = text(data.reason)
        ? t(`leads.timeline.ownerWays.${text(data.reason) as 'manual'}`, { defaultValue: text(data.reason) })
        : null;
      break;
    case 'grade':
      line = text(data.fromGrade)
        ? t('leads.timeline.grade', { from: text(data.fromGrade), to: text(data.toGrade) || '—' })
        : t('leads.timeline.gradeFirst', { to: text(data.toGrade) || '—' });
      break;
    case 'contact':
      line = t('leads.timeline.activity', {
        kind: isOneOf(CONTACT_KINDS, data.contactKind)
          ? t(`leads.contact.kinds.${data.contactKind}`)
          : text(data.contactKind),
      });
      break;
  }
  const leadId = text(data.leadId);
  const name = text(data.lead);
  return (
    <Flex gap={6} align="center" wrap data-testid="timeline-lead">
      <Tag color="geekblue">{t('leads.customerTimeline.tag')}</Tag>
      {leadId ? (
        <Link to="/leads" search={{ lead: leadId }}>
          {name || t('leads.customerTimeline.lead')}
        </Link>
      ) : (
        <Typography.Text>{name}</Typography.Text>
      )}
      <Typography.Text strong>{line}</Typography.Text>
      {way ? <Tag>{way}</Tag> : null}
    </Flex>
  );
}
