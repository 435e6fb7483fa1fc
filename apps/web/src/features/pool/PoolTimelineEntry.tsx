import { ExportOutlined, ImportOutlined, InboxOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

const KINDS = ['assign', 'claim', 'release', 'recycle', 'pool_assign'] as const;
type Kind = (typeof KINDS)[number];
const REASONS = ['unreachable', 'no_need', 'no_budget', 'not_decision_maker', 'duplicate', 'other'] as const;

const LOOK: Record<Kind, { color: string; icon: ReactNode }> = {
  assign: { color: 'blue', icon: <UserSwitchOutlined /> },
  claim: { color: 'green', icon: <ImportOutlined /> },
  release: { color: 'orange', icon: <ExportOutlined /> },
  recycle: { color: 'red', icon: <InboxOutlined /> },
  pool_assign: { color: 'blue', icon: <UserSwitchOutlined /> },
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** A 公海 move on a customer's timeline: assigned by a rule, claimed, released (why), recycled, assigned from the pool. */
export function poolTimelineView(data: Record<string, unknown>): {
  title: ReactNode;
  color: string;
  icon: ReactNode;
} {
  const kind = (KINDS as readonly string[]).includes(String(data.kind)) ? (data.kind as Kind) : 'assign';
  return { ...LOOK[kind], title: <PoolMoveText data={data} kind={kind} /> };
}

function PoolMoveText({ data, kind }: { data: Record<string, unknown>; kind: Kind }) {
  const { t } = useTranslation();
  const reason = (REASONS as readonly string[]).includes(String(data.reason))
    ? t(`pool.reasons.${data.reason as (typeof REASONS)[number]}`)
    : '';
  let line: string;
  if (kind === 'assign') {
    line =
      data.toPool === true
        ? t('pool.moves.assignToPool')
        : text(data.to)
          ? t('pool.moves.assign', { rule: text(data.rule), to: text(data.to) })
          : t('pool.moves.assignToTeam', { rule: text(data.rule), team: text(data.team) });
  } else {
    line = t(`pool.moves.${kind}`, {
      from: text(data.from) || '—',
      to: text(data.to) || '—',
      actor: text(data.actor) || '—',
      days: typeof data.days === 'number' ? data.days : Number(data.days ?? 0),
      reason,
    });
  }
  return (
    <Flex vertical gap={2} data-testid="timeline-pool">
      <Typography.Text strong>{line}</Typography.Text>
      {text(data.note) ? (
        <Typography.Text type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
          {text(data.note)}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}
