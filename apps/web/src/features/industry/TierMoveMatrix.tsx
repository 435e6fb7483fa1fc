import { ArrowRightOutlined } from '@ant-design/icons';
import { Link } from '@tanstack/react-router';
import { Flex, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { languageOf } from './json-schema';

export type TierPreview = RouterOutputs['industry']['preview'];
type Tier = TierPreview['tiers'][number];

const UNTIERED = '__none__';

export function tierName(
  tiers: readonly Tier[],
  key: string | null,
  language: string,
  untiered: string,
): string {
  if (key === null) return untiered;
  const tier = tiers.find((candidate) => candidate.key === key);
  return tier ? tier.labels[languageOf(language)] : key;
}

/**
 * From-tier × to-tier counts: rows are the customers' tiers today, columns their tiers
 * under the previewed settings. The diagonal (no move) is shaded; moves stand out in bold.
 */
export function TierMoveMatrix({ preview }: { preview: TierPreview }) {
  const { t, i18n } = useTranslation();
  const untiered = t('industryConfig.preview.untiered');
  const name = (key: string | null) => tierName(preview.tiers, key, i18n.language, untiered);
  const count = (from: string | null, to: string) =>
    preview.matrix.find((cell) => cell.from === from && cell.to === to)?.count ?? 0;
  const hasUntiered = preview.matrix.some((cell) => cell.from === null);
  const fromKeys: (string | null)[] = [
    ...preview.tiers.map((tier) => tier.key),
    ...(hasUntiered ? [null] : []),
  ];
  const toKeys = preview.tiers.map((tier) => tier.key);
  const rows = fromKeys.map((from) => ({
    key: from ?? UNTIERED,
    from,
    total: toKeys.reduce((sum, to) => sum + count(from, to), 0),
  }));
  return (
    <Table
      data-testid="tier-move-matrix"
      size="small"
      bordered
      pagination={false}
      rowKey="key"
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      columns={[
        {
          key: 'from',
          title: t('industryConfig.preview.from'),
          fixed: 'left',
          render: (_, row) => <Typography.Text strong>{name(row.from)}</Typography.Text>,
        },
        ...toKeys.map((to) => ({
          key: to,
          title: name(to),
          align: 'right' as const,
          onCell: (row: (typeof rows)[number]) => ({
            'data-testid': `matrix-${row.key}-${to}`,
            style: row.from === to ? { background: '#f0f5ff' } : undefined,
          }),
          render: (_: unknown, row: (typeof rows)[number]) => {
            const value = count(row.from, to);
            if (value === 0) return <Typography.Text type="secondary">0</Typography.Text>;
            return row.from === to ? (
              value.toLocaleString()
            ) : (
              <Typography.Text strong type="warning">
                {value.toLocaleString()}
              </Typography.Text>
            );
          },
        })),
        {
          key: 'total',
          title: t('industryConfig.preview.total'),
          align: 'right',
          render: (_, row) => row.total.toLocaleString(),
        },
      ]}
    />
  );
}

/** The sample of customers who would move, each linked to their profile. */
export function MovingSample({ preview }: { preview: TierPreview }) {
  const { t, i18n } = useTranslation();
  const untiered = t('industryConfig.preview.untiered');
  const name = (key: string | null) => tierName(preview.tiers, key, i18n.language, untiered);
  return (
    <Table
      data-testid="tier-move-sample"
      size="small"
      pagination={false}
      rowKey="customerId"
      dataSource={preview.sample}
      locale={{ emptyText: t('industryConfig.preview.sampleEmpty') }}
      columns={[
        {
          key: 'name',
          title: t('industryConfig.preview.customer'),
          render: (_, row) => (
            <Link to="/customers/$customerId" params={{ customerId: row.customerId }} target="_blank">
              {row.name}
            </Link>
          ),
        },
        {
          key: 'change',
          title: t('industryConfig.preview.change'),
          render: (_, row) => (
            <Flex gap={4} align="center">
              <Tag>{name(row.from)}</Tag>
              <ArrowRightOutlined />
              <Tag color="blue">{name(row.to)}</Tag>
            </Flex>
          ),
        },
        {
          key: 'score',
          title: t('industryConfig.preview.score'),
          align: 'right',
          render: (_, row) => (row.score === null ? '—' : row.score.toFixed(2)),
        },
      ]}
    />
  );
}
