import { ApartmentOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Flex, Skeleton, Table, Tag, Timeline, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { TierHelp } from '../customers/LevelHelp';
import { useCustomFields } from '../customers/profile-meta';
import { languageOf } from './json-schema';
import { useTierMetrics } from './tier-metrics';
import { useTiers } from './tiers';

type Dimension = {
  key: string;
  metric: string;
  raw: number | string | null;
  normalised: number;
  weight: number | null;
  contribution: number | null;
};
type Condition = { metric: string; op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq'; value: number };
type Explanation = {
  kind: 'weighted' | 'thresholds' | 'rfm';
  score: number | null;
  dimensions: Dimension[];
  rule: { index: number | null; tier: string; minScore?: number; conditions?: Condition[] };
};

const number = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '—' : Number(value.toFixed(digits)).toLocaleString();

/**
 * 客户分层 on the profile: the customer's tier and score, the rule that placed it, and each
 * dimension's raw value, normalised score, weight and contribution — then its tier moves.
 */
export function TierCard({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const language = languageOf(i18n.language);
  const { tierLabel } = useTiers();
  // A customer just created or changed: its re-tier is queued and runs within seconds.
  const tier = useQuery({
    ...trpc.industry.customerTier.queryOptions({ customerId }),
    refetchInterval: (query) => (query.state.data?.queued ? 3000 : false),
  });
  const { all: fields } = useCustomFields();
  const { metricLabel, formatValue, formatCondition } = useTierMetrics(fields);

  if (tier.isPending) {
    return (
      <Card size="small" title={t('tiers.card.title')}>
        <Skeleton active paragraph={{ rows: 3 }} />
      </Card>
    );
  }
  if (tier.isError) return null;
  const data = tier.data;
  const explanation = data.explanation as Explanation | null;
  const name = (key: string | null) =>
    key === data.tier && data.tierLabels ? data.tierLabels[language] : tierLabel(key);
  const RFM_KEYS = ['r', 'f', 'm'];
  const dimensionLabel = (dimension: Dimension) => {
    const label = data.dimensionLabels[dimension.key]?.[language] ?? metricLabel(dimension.metric);
    // RFM: say which of R, F and M the line scores (R · 距上次成交天数).
    return explanation?.kind === 'rfm' && RFM_KEYS.includes(dimension.key)
      ? `${dimension.key.toUpperCase()} · ${label}`
      : label;
  };
  // RFM: a metric a segment reads that R, F or M already shows is not listed twice.
  const rows =
    explanation?.kind === 'rfm'
      ? explanation.dimensions.filter(
          (dimension) =>
            RFM_KEYS.includes(dimension.key) ||
            !explanation.dimensions.some(
              (other) => RFM_KEYS.includes(other.key) && other.metric === dimension.metric,
            ),
        )
      : (explanation?.dimensions ?? []);

  let rule = '';
  if (explanation) {
    const placed = name(explanation.rule.tier);
    if (explanation.rule.index === null) rule = t('tiers.card.ruleDefault', { tier: placed });
    else if (explanation.rule.minScore !== undefined) {
      rule = t('tiers.card.ruleScore', {
        score: number(explanation.score),
        min: number(explanation.rule.minScore),
        tier: placed,
      });
    } else {
      // The rule in words, with the values the settings gave: 近 12 个月交易额 > 1 万元.
      const conditions = (explanation.rule.conditions ?? []).map(formatCondition).join(t('tiers.card.and'));
      rule = t('tiers.card.ruleConditions', { conditions, tier: placed });
    }
  }

  return (
    <Card
      size="small"
      data-testid="customer-tier-card"
      extra={
        <Flex gap={8} align="center">
          {data.computedAt && !data.pendingSince ? (
            <Tooltip title={formatDateTime(data.computedAt)}>
              <Typography.Text type="secondary" data-testid="customer-tier-computed">
                {t('tiers.computedAgo', { ago: dayjs(data.computedAt).fromNow() })}
              </Typography.Text>
            </Tooltip>
          ) : null}
          <TierHelp kind={explanation?.kind ?? null} />
        </Flex>
      }
      title={
        <span>
          <ApartmentOutlined style={{ marginInlineEnd: 8, color: '#1f5eff' }} />
          {t('tiers.card.title')}
        </span>
      }
    >
      {data.pendingSince ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="customer-tier-pending"
          message={`${t('tiers.pending')} · ${t('tiers.pendingTooltip', { time: formatDateTime(data.nextRunAt) })}`}
        />
      ) : data.queued ? (
        <Typography.Paragraph type="secondary" data-testid="customer-tier-queued">
          {t('tiers.queued')}
        </Typography.Paragraph>
      ) : null}
      {data.tier === null || explanation === null ? (
        data.pendingSince || data.queued ? null : (
          <Typography.Text type="secondary">{t('tiers.card.notTiered')}</Typography.Text>
        )
      ) : (
        <Flex vertical gap={12}>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              {
                key: 'tier',
                label: t('tiers.card.tier'),
                children: (
                  <Tag color="blue" data-testid="customer-tier">
                    {name(data.tier)}
                  </Tag>
                ),
              },
              {
                key: 'score',
                label: t('tiers.card.score'),
                children: <span data-testid="customer-tier-score">{number(data.score)}</span>,
              },
              { key: 'at', label: t('tiers.card.updatedAt'), children: formatDateTime(data.changedAt) },
            ]}
          />
          <Typography.Text data-testid="customer-tier-rule">
            <Typography.Text type="secondary">{t('tiers.card.rule')}</Typography.Text>
            {rule}
          </Typography.Text>
          {explanation.kind === 'rfm' ? (
            <Typography.Text type="secondary">{t('tiers.card.rfm')}</Typography.Text>
          ) : null}
          <Table<Dimension>
            size="small"
            pagination={false}
            rowKey="key"
            data-testid="customer-tier-dimensions"
            dataSource={rows}
            columns={[
              { key: 'dimension', title: t('tiers.card.dimension'), render: (_, row) => dimensionLabel(row) },
              {
                key: 'raw',
                title: t('tiers.card.raw'),
                align: 'right',
                render: (_, row) => formatValue(row.metric, row.raw),
              },
              // A value-threshold model compares the values themselves: there is no score to show.
              ...(explanation.kind === 'thresholds'
                ? []
                : [
                    {
                      key: 'normalised',
                      title:
                        explanation.kind === 'rfm' ? t('tiers.card.rfmScore') : t('tiers.card.normalised'),
                      align: 'right' as const,
                      // RFM: R, F and M are scored 1–5; a metric a segment reads besides them has no score.
                      render: (_: unknown, row: Dimension) =>
                        explanation.kind === 'rfm' && !RFM_KEYS.includes(row.key)
                          ? '—'
                          : number(row.normalised),
                    },
                  ]),
              ...(explanation.kind === 'weighted'
                ? [
                    {
                      key: 'weight',
                      title: t('tiers.card.weight'),
                      align: 'right' as const,
                      render: (_: unknown, row: Dimension) => number(row.weight),
                    },
                    {
                      key: 'contribution',
                      title: t('tiers.card.contribution'),
                      align: 'right' as const,
                      render: (_: unknown, row: Dimension) => number(row.contribution),
                    },
                  ]
                : []),
            ]}
          />
          {data.history.length > 0 ? (
            <div>
              <Typography.Text type="secondary">{t('tiers.card.history')}</Typography.Text>
              <Timeline
                style={{ marginTop: 8, marginBottom: -16 }}
                items={data.history.slice(0, 5).map((move, index) => ({
                  key: `${move.changedAt}-${index}`,
                  content: (
                    <span>
                      {formatDateTime(move.changedAt)} · {name(move.from)} → {name(move.to)}
                      {' · '}
                      <Typography.Text type="secondary">
                        {t(`tiers.card.reasons.${move.reason as 'retier'}`, { defaultValue: move.reason })}
                      </Typography.Text>
                    </span>
                  ),
                }))}
              />
            </div>
          ) : null}
        </Flex>
      )}
    </Card>
  );
}
