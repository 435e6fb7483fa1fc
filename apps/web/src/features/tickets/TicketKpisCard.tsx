import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Col, Flex, Row, Segmented, Select, Statistic, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketKpis } from '../../lib/api-types';
import { useTRPC } from '../../lib/trpc';
import { useCategoryLabel, useLabelOf, useTicketSettings } from './TicketCategoryLabel';

const PERIODS = ['month', 'quarter', 'year'] as const;
type Period = (typeof PERIODS)[number];
const DIMENSIONS = ['month', 'category', 'tier', 'agent', 'priority'] as const;
type Dimension = (typeof DIMENSIONS)[number];
type KpiRow = TicketKpis['rows'][number];

/** The period's days: from its first day to tomorrow (the end is exclusive). */
function rangeOf(period: Period) {
  const today = dayjs();
  const from =
    period === 'month'
      ? today.startOf('month')
      : period === 'quarter'
        ? today.subtract(2, 'month').startOf('month')
        : today.subtract(11, 'month').startOf('month');
  return { from: from.format('YYYY-MM-DD'), to: today.add(1, 'day').format('YYYY-MM-DD') };
}

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 1000) / 10}%`);
const hours = (value: number | null) => (value === null ? '—' : (Math.round(value * 10) / 10).toString());

/**
 * 工单指标: closure rate, mean first response and resolution (hours in the SLA's time), SLA met
 * rates over a period, with the open tickets at risk and breached now, broken down by month,
 * category, tier, agent or priority.
 */
export function TicketKpisCard({ atRisk, breached }: { atRisk: number | null; breached: number | null }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [period, setPeriod] = useState<Period>('month');
  const [by, setBy] = useState<Dimension>('category');
  const range = rangeOf(period);
  const kpis = useQuery({
    ...trpc.tickets.kpis.queryOptions({ ...range, by }),
    placeholderData: keepPreviousData,
  });
  const settings = useTicketSettings();
  const categoryLabel = useCategoryLabel();
  const labelOf = useLabelOf();
  const total = kpis.data?.total;

  const keyLabel = (row: KpiRow) => {
    if (row.key === null) return t('tickets.kpis.none');
    if (by === 'agent') return row.label ?? row.key;
    if (by === 'category') return categoryLabel(row.key);
    if (by === 'priority') return t(`tickets.priorities.${row.key as 'normal'}`);
    if (by === 'tier') {
      const tier = settings.data?.tiers.find((item) => item.key === row.key);
      return tier ? labelOf(tier) : row.key;
    }
    return row.key;
  };

  return (
    <Card
      data-testid="ticket-kpis"
      title={t('tickets.kpis.title')}
      extra={
        <Segmented<Period>
          size="small"
          value={period}
          onChange={setPeriod}
          aria-label={t('tickets.kpis.periodLabel')}
          options={PERIODS.map((value) => ({ value, label: t(`tickets.kpis.periods.${value}`) }))}
        />
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={12} md={4}>
          <Statistic title={t('tickets.kpis.opened')} value={total?.opened ?? '—'} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic
            title={t('tickets.kpis.closureRate')}
            value={percent(total?.closureRate ?? null)}
            data-testid="ticket-kpi-closure"
          />
        </Col>
        <Col xs={12} md={4}>
          <Statistic
            title={t('tickets.kpis.firstResponse')}
            value={hours(total?.firstResponseHours ?? null)}
            suffix={t('tickets.kpis.hoursUnit')}
          />
        </Col>
        <Col xs={12} md={4}>
          <Statistic
            title={t('tickets.kpis.resolution')}
            value={hours(total?.resolutionHours ?? null)}
            suffix={t('tickets.kpis.hoursUnit')}
          />
        </Col>
        <Col xs={12} md={4}>
          <Statistic
            title={t('tickets.kpis.atRisk')}
            value={atRisk ?? '—'}
            valueStyle={atRisk ? { color: '#fa8c16' } : undefined}
          />
        </Col>
        <Col xs={12} md={4}>
          <Statistic
            title={t('tickets.kpis.breachedNow')}
            value={breached ?? '—'}
            valueStyle={breached ? { color: '#f5222d' } : undefined}
            data-testid="ticket-kpi-breached"
          />
        </Col>
      </Row>
      <Flex align="center" gap={8} style={{ margin: '16px 0 8px' }}>
        <Typography.Text type="secondary">{t('tickets.kpis.by')}</Typography.Text>
        <Select<Dimension>
          size="small"
          value={by}
          onChange={setBy}
          style={{ minWidth: 110 }}
          options={DIMENSIONS.map((value) => ({ value, label: t(`tickets.kpis.dimensions.${value}`) }))}
          data-testid="ticket-kpi-by"
        />
      </Flex>
      <Table<KpiRow>
        size="small"
        rowKey={(row) => row.key ?? '—'}
        pagination={false}
        loading={kpis.isFetching}
        dataSource={kpis.data?.rows ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'key', title: t(`tickets.kpis.dimensions.${by}`), render: (_, row) => keyLabel(row) },
          { key: 'opened', title: t('tickets.kpis.opened'), dataIndex: 'opened', align: 'right' },
          { key: 'closed', title: t('tickets.kpis.closed'), dataIndex: 'closed', align: 'right' },
          {
            key: 'closureRate',
            title: t('tickets.kpis.closureRate'),
            align: 'right',
            render: (_, row) => percent(row.closureRate),
          },
          {
            key: 'firstResponseHours',
            title: `${t('tickets.kpis.firstResponse')} (${t('tickets.kpis.hoursUnit')})`,
            align: 'right',
            render: (_, row) => hours(row.firstResponseHours),
          },
          {
            key: 'resolutionHours',
            title: `${t('tickets.kpis.resolution')} (${t('tickets.kpis.hoursUnit')})`,
            align: 'right',
            render: (_, row) => hours(row.resolutionHours),
          },
          {
            key: 'firstResponseMetRate',
            title: t('tickets.kpis.firstResponseMet'),
            align: 'right',
            render: (_, row) => percent(row.firstResponseMetRate),
          },
          {
            key: 'resolutionMetRate',
            title: t('tickets.kpis.resolutionMet'),
            align: 'right',
            render: (_, row) => percent(row.resolutionMetRate),
          },
          { key: 'breached', title: t('tickets.kpis.breached'), dataIndex: 'breached', align: 'right' },
        ]}
      />
    </Card>
  );
}
