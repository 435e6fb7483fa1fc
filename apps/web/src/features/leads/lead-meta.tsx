import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  ExclamationCircleOutlined,
  MinusCircleOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Tag, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lead } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

const GRADE_COLORS = ['red', 'orange', 'gold', 'blue', 'cyan', 'default'];

const STATUS_COLORS: Readonly<Record<Lead['status'], string>> = {
  new: 'blue',
  contacted: 'processing',
  qualified: 'purple',
  converted: 'success',
  disqualified: 'default',
};

const SLA_LOOK: Readonly<Record<Lead['slaState'], { color: string; icon: ReactNode }>> = {
  none: { color: 'default', icon: <MinusCircleOutlined /> },
  on_track: { color: 'blue', icon: <ClockCircleOutlined /> },
  due_soon: { color: 'orange', icon: <WarningOutlined /> },
  overdue: { color: 'red', icon: <ExclamationCircleOutlined /> },
  met: { color: 'green', icon: <CheckCircleOutlined /> },
  missed: { color: 'volcano', icon: <CheckCircleOutlined /> },
};

/** The tenant's grades (from its plugin), for filters and tag colours. */
export function useLeadGrades() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.leads.grades.queryOptions(), staleTime: 5 * 60_000 });
}

/** Refreshes every lead query after a change. */
export function useLeadRefresh() {
  const queryClient = useQueryClient();
  const trpc = useTRPC();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.leads.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.leads.counts.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.leads.get.queryKey() }),
    ]);
}

export function LeadStatusTag({ status }: { status: Lead['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }} data-testid="lead-status">
      {t(`marketing.leadStatuses.${status}`)}
    </Tag>
  );
}

type Reason = NonNullable<Lead['gradeReason']>;

/** A fact the grade read, in words: "intent = price", "email_open_7d = 2". */
function factText(key: string, value: unknown, t: TFunction, sep: string): string {
  if (key === 'intent' && typeof value === 'string')
    return `${t('leads.intent')}${sep}${t(`marketing.intents.${value as 'price'}`)}`;
  if (key === 'source' && typeof value === 'string')
    return `${t('leads.source')}${sep}${t(`marketing.leadSources.${value as 'manual'}`)}`;
  return `${key}${sep}${value === null || value === undefined ? '—' : String(value)}`;
}

/** Which rule gave the grade and what it read: the tooltip beside every grade tag. */
export function GradeExplanation({ reason }: { reason: Reason }) {
  const { t, i18n } = useTranslation();
  const labels = reason.labels as Record<string, string> | undefined;
  const label = labels?.[i18n.language === 'en' ? 'en' : 'zh-CN'] ?? reason.rule ?? '';
  const facts = Object.entries((reason.facts as Record<string, unknown> | undefined) ?? {});
  const regrade = reason.regrade as { from?: string } | undefined;
  const sep = i18n.language === 'en' ? ': ' : '：';
  return (
    <div data-testid="lead-grade-explanation">
      <div>
        {regrade ? t('leads.gradeRegrade', { rule: label }) : `${t('leads.gradeRule')}${sep}${label}`}
      </div>
      {facts.length > 0 ? (
        <div>
          {t('leads.gradeFacts')}
          {sep}
          {facts
            .map(([key, value]) => factText(key, value, t, sep))
            .join(i18n.language === 'en' ? '; ' : '；')}
        </div>
      ) : null}
      {typeof reason.followUpWithinHours === 'number' ? (
        <div>
          {t('leads.followUp')}
          {sep}
          {t('leads.hours', { n: reason.followUpWithinHours })}
        </div>
      ) : null}
    </div>
  );
}

/** The grade as a coloured tag; hovering explains which rule matched. */
export function LeadGradeTag({ lead }: { lead: Pick<Lead, 'grade' | 'gradeReason'> }) {
  const { t } = useTranslation();
  const grades = useLeadGrades();
  if (!lead.grade) return <Tag style={{ marginInlineEnd: 0 }}>{t('leads.noGrade')}</Tag>;
  const rank = grades.data?.findIndex((grade) => grade.grade === lead.grade) ?? -1;
  const tag = (
    <Tag
      color={GRADE_COLORS[Math.max(0, Math.min(rank, GRADE_COLORS.length - 1))] ?? 'default'}
      style={{ marginInlineEnd: 0, fontWeight: 600 }}
      data-testid="lead-grade"
    >
      {lead.grade}
    </Tag>
  );
  return lead.gradeReason ? (
    <Tooltip title={<GradeExplanation reason={lead.gradeReason} />}>{tag}</Tooltip>
  ) : (
    tag
  );
}

/** Where the follow-up clock stands: the deadline, overdue, met or late. */
export function LeadSlaTag({ lead }: { lead: Pick<Lead, 'slaState' | 'followUpDueAt'> }) {
  const { t } = useTranslation();
  const look = SLA_LOOK[lead.slaState];
  const due = lead.followUpDueAt ? formatDateTime(lead.followUpDueAt) : null;
  const title =
    due && lead.slaState === 'overdue'
      ? t('leads.dueOverdue', { time: due })
      : due
        ? t('leads.due', { time: due })
        : undefined;
  return (
    <Tooltip title={title}>
      <Tag color={look.color} icon={look.icon} style={{ marginInlineEnd: 0 }} data-testid="lead-sla">
        {t(`leads.slaStates.${lead.slaState}`)}
      </Tag>
    </Tooltip>
  );
}

/** The deadline under the tag, in the list. */
export function LeadDue({ lead }: { lead: Pick<Lead, 'slaState' | 'followUpDueAt'> }) {
  if (!lead.followUpDueAt || lead.slaState === 'none') return null;
  return (
    <Typography.Text type={lead.slaState === 'overdue' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
      {formatDateTime(lead.followUpDueAt)}
    </Typography.Text>
  );
}
